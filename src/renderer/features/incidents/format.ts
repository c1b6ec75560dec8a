// Words and numbers of the alarm queue. Pure, unit-tested.
import type { IncidentActionKind, IncidentState } from '../../../shared/incidents';
import type { Severity } from '../../../shared/rules';

/** How long ago: 'just now', '40 s', '2 min', '3 h', '2 d'. A time in the future (clock skew) is 'just now'. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 5_000) return 'just now';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export const STATE_LABELS: Record<IncidentState, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  closed: 'Closed',
  false_alarm: 'False alarm',
};

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export const AUDIT_LABELS: Record<IncidentActionKind, string> = {
  raised: 'Raised',
  'condition-ended': 'Condition ended',
  acknowledge: 'Acknowledged',
  start: 'Started',
  close: 'Closed',
  'false-alarm': 'Marked false alarm',
  reopen: 'Reopened',
  note: 'Note',
  assign: 'Assigned',
  lock: 'Evidence locked',
  unlock: 'Evidence unlocked',
  export: 'Evidence exported',
};

/** The operator name as kept in prefs: trimmed, 1-80 characters (the API's `who`), or null. */
export function parseOperatorName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  return name.length >= 1 && name.length <= 80 ? name : null;
}

/** A clock time for the audit trail: HH:MM:SS today, the date too otherwise. */
export function formatWhen(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/** Words for the engine's `details` keys that have better names. */
const DETAIL_NAMES: Record<string, string> = { durationMs: 'duration', minDurationMs: 'min. duration', score: 'score', since: 'since', zoneId: 'zone', lineId: 'line' };

/**
 * One entry of an incident's `details` as a fact line, or null when it is not worth a line
 * (objects, nulls, and what the facts already say: label, track).
 */
export function formatDetail(key: string, value: unknown, now: number): { name: string; value: string } | null {
  if (value === null || value === undefined || key === 'label' || key === 'trackId') return null;
  const name = DETAIL_NAMES[key] ?? key;
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v !== 'object')) return null;
    // Boxes and points come in sub-pixel floats: whole pixels read better.
    return { name, value: value.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? String(Math.round(v)) : String(v))).join(', ') };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    if (/Ms$/.test(key)) return { name, value: `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)} s` };
    if (key === 'score' && value >= 0 && value <= 1) return { name, value: `${Math.round(value * 100)} %` };
    // Epoch milliseconds (2001 onwards): a time.
    if (value > 1e12) return { name, value: formatWhen(value, now) };
    return { name, value: Number.isInteger(value) ? String(value) : value.toFixed(2) };
  }
  if (typeof value === 'object') return null;
  return { name, value: String(value) };
}
