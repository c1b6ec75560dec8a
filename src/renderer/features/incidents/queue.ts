// The alarm queue as the control room shows it: open incidents, most severe first, then
// newest first. Pure, unit-tested.
import type { Incident, IncidentState } from '../../../shared/incidents';
import type { Severity } from '../../../shared/rules';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 3, high: 2, medium: 1, low: 0 };
export const OPEN_STATES: readonly IncidentState[] = ['new', 'acknowledged', 'in_progress'];

export function isOpen(state: IncidentState): boolean {
  return OPEN_STATES.includes(state);
}

/** Severity first (critical on top), then the newest start, then the id (a stable order). */
export function compareIncidents(a: Incident, b: Incident): number {
  return (
    (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) ||
    b.startedAt - a.startedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function sortQueue(list: readonly Incident[]): Incident[] {
  return [...list].sort(compareIncidents);
}

/** One `incident.updated` event applied to the queue: added, replaced, or dropped when no longer open. */
export function upsertIncident(list: readonly Incident[], incident: Incident): Incident[] {
  const rest = list.filter((i) => i.id !== incident.id);
  return isOpen(incident.state) ? sortQueue([...rest, incident]) : rest;
}

/**
 * A periodic re-read of `GET /api/incidents?state=open` merged into the queue. The answer is
 * the truth, except for incidents an event touched after the request went out (`touched`):
 * for those the event's version is newer, whether the answer has them or not.
 */
export function mergeRefresh(current: readonly Incident[], fetched: readonly Incident[], touched: ReadonlySet<string> = new Set()): Incident[] {
  const byId = new Map<string, Incident>();
  for (const incident of fetched) if (!touched.has(incident.id)) byId.set(incident.id, incident);
  for (const incident of current) if (touched.has(incident.id)) byId.set(incident.id, incident);
  return sortQueue([...byId.values()].filter((i) => isOpen(i.state)));
}

/** The row `delta` steps from the selected one (clamped at the ends); the first row when none is selected. */
export function moveSelection(list: readonly Incident[], selectedId: string | null, delta: number): string | null {
  if (list.length === 0) return null;
  const index = selectedId === null ? -1 : list.findIndex((i) => i.id === selectedId);
  if (index < 0) return (delta < 0 ? list[list.length - 1] : list[0])?.id ?? null;
  const next = Math.max(0, Math.min(list.length - 1, index + delta));
  return list[next]?.id ?? null;
}

/**
 * The selection after the list changed: kept while its incident is still listed, otherwise
 * the row that now stands where it stood (so acknowledging and closing walks down the queue).
 */
export function keepSelection(previous: readonly Incident[], next: readonly Incident[], selectedId: string | null): string | null {
  if (selectedId === null) return null;
  if (next.some((i) => i.id === selectedId)) return selectedId;
  if (next.length === 0) return null;
  const index = previous.findIndex((i) => i.id === selectedId);
  const at = Math.max(0, Math.min(next.length - 1, index < 0 ? 0 : index));
  return next[at]?.id ?? null;
}

/** Severities that flash the camera's tile and sound the alarm. */
export function isAlarming(severity: Severity): boolean {
  return severity === 'critical' || severity === 'high';
}

/** Cameras whose tile flashes: those with a high or critical incident nobody acknowledged yet. */
export function alertedCameraIds(list: readonly Incident[]): string[] {
  const ids = new Set<string>();
  for (const incident of list) if (incident.state === 'new' && isAlarming(incident.severity)) ids.add(incident.cameraId);
  return [...ids].sort();
}

/**
 * Incidents that should sound the alarm: high or critical, still new, and not seen before
 * (`seen` is updated in place). Nothing sounds for what the first load finds.
 */
export function newAlarms(seen: Set<string>, incidents: readonly Incident[], sound: boolean): Incident[] {
  const fresh: Incident[] = [];
  for (const incident of incidents) {
    if (seen.has(incident.id)) continue;
    seen.add(incident.id);
    if (sound && incident.state === 'new' && isAlarming(incident.severity)) fresh.push(incident);
  }
  return fresh;
}
