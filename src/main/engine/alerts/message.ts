// What an alert says. Written for a guard reading a phone at night: the severity first, then
// where (site, camera, zone), what (rule, objects and how sure the detector was), when (the
// site's local time, with its zone named), which incident, and how to acknowledge it without
// opening Vigil. The same facts go to machines as JSON (the webhook body).
import type { AlertKind } from '../../../shared/alerts';
import type { Incident, IncidentState } from '../../../shared/incidents';
import type { Severity } from '../../../shared/rules';
import type { AlertSubject, DigestSummary } from './policy-engine';

export interface Site {
  name: string;
  timeZone: string;
}

export interface RenderInput {
  kind: AlertKind;
  site: Site;
  now: number;
  /** What the alert is about; null for a digest or a test. */
  subject: AlertSubject | null;
  /** The full incident, for its details (zone, objects, scores); null when there is none. */
  incident: Incident | null;
  zoneName?: string | null;
  lineName?: string | null;
  update?: 'handled' | 'back-online';
  digest?: DigestSummary;
  escalationMinutes?: number;
}

export interface RenderedAlert {
  title: string;
  text: string;
  payload: Record<string, unknown>;
}

const SEVERITY_WORD: Record<Severity, string> = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };
const HANDLED_WORD: Record<IncidentState, string> = { new: 'Still new', acknowledged: 'Acknowledged', in_progress: 'Being handled', closed: 'Closed', false_alarm: 'Marked a false alarm' };

/** The short form of an incident id people type back: its first 8 characters. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** How to acknowledge by reply (ack-reply.ts parses both forms). */
export function ackHint(incidentId: string): string {
  return `To acknowledge, reply "ACK ${shortId(incidentId)}" (or reply ACK to this message).`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** `Tue, 4 Mar 2025, 14:03:12` on the site's wall clock. */
export function localTimeText(at: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format.format(at);
}

function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? 'under a minute' : minutes === 1 ? '1 min' : `${minutes} min`;
}

/** "person 91 %", "3 objects (car)": what the rule saw, from the incident's details. */
export function objectsText(details: Record<string, unknown>): string | null {
  const label = typeof details.label === 'string' ? details.label : null;
  const score = typeof details.score === 'number' && Number.isFinite(details.score) ? ` ${Math.round(details.score * 100)} %` : '';
  if (typeof details.objects === 'number') return `${details.objects} object${details.objects === 1 ? '' : 's'}${label ? ` (${label})` : ''}`;
  return label ? `${label}${score}` : null;
}

export function renderAlert(input: RenderInput): RenderedAlert {
  const { kind, site, subject, incident } = input;
  const lines: string[] = [];
  let title: string;
  const where = subject ? `${subject.cameraName} · ${subject.ruleName}` : '';
  const severity = input.digest?.severity ?? subject?.severity ?? 'low';
  if (kind === 'digest' && input.digest) {
    const d = input.digest;
    title = `${d.count} more at ${d.cameraName}`;
    lines.push(`${d.count} more alert${d.count === 1 ? '' : 's'} at ${d.cameraName} (${site.name}) held back since ${localTimeText(d.since, site.timeZone)}: ${d.rules.join(', ')}.`, 'Open Vigil to see them all.');
  } else if (kind === 'update' && subject && input.update === 'back-online') {
    title = `Back online · ${subject.cameraName}`;
    lines.push(`Camera ${subject.cameraName} at ${site.name} is back online (it was down ${minutesText((subject.endedAt ?? input.now) - subject.startedAt)}).`);
  } else if (kind === 'update' && subject) {
    const what = HANDLED_WORD[subject.state];
    title = `${what} · ${where}`;
    lines.push(`${what}${subject.actor ? ` by ${subject.actor}` : ''}: ${subject.ruleName} on ${subject.cameraName} at ${site.name}${subject.incidentId ? ` (incident ${shortId(subject.incidentId)})` : ''}.`, 'Nothing more to do for this alert.');
  } else if (kind === 'test') {
    title = `Test alert · ${site.name}`;
    lines.push(`Test alert from Vigil at ${site.name}, sent ${localTimeText(input.now, site.timeZone)} (${site.timeZone}).`, 'If you can read this, alerts reach you here.');
  } else if (subject) {
    const escalation = kind === 'escalation';
    title = `${escalation ? 'ESCALATION · ' : ''}${SEVERITY_WORD[subject.severity]} · ${where}`;
    if (escalation) lines.push(`ESCALATION: not acknowledged after ${input.escalationMinutes ?? '?'} min.`);
    lines.push(`${SEVERITY_WORD[subject.severity]} alert at ${site.name}${subject.type === 'camera-offline' ? ': camera offline' : ''}`);
    lines.push(`Camera: ${subject.cameraName}`);
    lines.push(subject.ruleId ? `Rule: ${subject.ruleName} (${subject.type})` : 'Rule: camera watch of the alert settings (no camera-offline rule)');
    if (input.zoneName) lines.push(`Zone: ${input.zoneName}`);
    if (input.lineName) lines.push(`Line: ${input.lineName}`);
    lines.push(`${subject.type === 'camera-offline' ? 'Down since' : 'Time'}: ${localTimeText(subject.startedAt, site.timeZone)} (${site.timeZone})`);
    const objects = incident ? objectsText(incident.details) : null;
    if (objects) lines.push(`Objects: ${objects}`);
    if (incident && typeof incident.details.cameraState === 'string') lines.push(`Camera state: ${incident.details.cameraState}`);
    if (subject.incidentId) lines.push(`Incident: ${shortId(subject.incidentId)}`, ackHint(subject.incidentId));
  } else {
    title = `Alert · ${site.name}`;
  }
  const text = lines.join('\n');
  return { title, text, payload: payloadOf(input, title, text, severity) };
}

function payloadOf(input: RenderInput, title: string, text: string, severity: Severity): Record<string, unknown> {
  const { subject, incident } = input;
  const details = incident?.details ?? {};
  return {
    event: `alert.${input.kind}`,
    kind: input.kind,
    severity,
    site: input.site.name,
    title,
    text,
    createdAt: input.now,
    subject: subject
      ? {
          incidentId: subject.incidentId,
          shortId: subject.incidentId ? shortId(subject.incidentId) : null,
          cameraId: subject.cameraId,
          cameraName: subject.cameraName,
          ruleId: subject.ruleId,
          ruleName: subject.ruleName,
          type: subject.type,
          state: subject.state,
          startedAt: subject.startedAt,
          endedAt: subject.endedAt,
          zone: input.zoneName ?? null,
          line: input.lineName ?? null,
          label: typeof details.label === 'string' ? details.label : null,
          score: typeof details.score === 'number' ? details.score : null,
          objects: typeof details.objects === 'number' ? details.objects : null,
        }
      : null,
    ...(input.update ? { update: { what: input.update, state: subject?.state ?? null, by: subject?.actor ?? null } } : {}),
    ...(input.digest ? { digest: input.digest } : {}),
    ...(input.kind === 'escalation' ? { escalation: { afterMinutes: input.escalationMinutes ?? null } } : {}),
    ...(subject?.incidentId && (input.kind === 'incident' || input.kind === 'camera-offline' || input.kind === 'escalation') ? { acknowledge: `ACK ${shortId(subject.incidentId)}` } : {}),
  };
}
