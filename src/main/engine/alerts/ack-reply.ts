// Acknowledging by reply: a guard answers an alert on their phone with `ACK 1a2b3c4d`, or
// replies to the alert message itself with a bare `ACK` or `ok`. Only recipients allowed to
// acknowledge can do it, only for incidents that were alerted, and it goes through the
// incident's own state machine and audit log (who = `whatsapp:<name>`). Anything else is
// ignored and logged: a stranger's message never changes an incident, nor gets an answer.
import type { InboundReply } from './channel';
import type { Incident } from '../../../shared/incidents';
import type { Recipient } from '../../../shared/alerts';
import type { AlertReason } from '../../../shared/reasons';
import { normalizeWhatsAppAddress } from '../../../shared/whatsapp';
import { EngineError } from '../engine-error';

/** A reply that means "acknowledged": the short id it names, or null for a bare ACK/ok. */
export interface AckRequest {
  shortId: string | null;
}

const ACK_WORDS = new Set(['ack', 'acknowledge', 'acknowledged', 'ok', 'okay']);
/** At least 4 characters of an incident id (hex, maybe with the UUID's dashes). */
const ID_PREFIX = /^[0-9a-f]{4}[0-9a-f-]{0,32}$/;

/**
 * Reads `ACK 1a2b3c4d`, `ack: #1A2B3C4D.`, `Ok` or `ACK!` (case and punctuation do not
 * matter); null for anything that does not start with an acknowledging word.
 */
export function parseAck(text: string): AckRequest | null {
  const words = text.toLowerCase().replace(/[^a-z0-9-]+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0 || !ACK_WORDS.has(words[0]!)) return null;
  const id = words[1]?.replace(/^-+|-+$/g, '');
  return { shortId: id && ID_PREFIX.test(id) ? id : null };
}

export interface AckDeps {
  /** Enabled recipients on a channel with this normalized address. */
  recipients(channel: string, address: string): Recipient[];
  /** The incident of the outbox row a channel message id belongs to. */
  incidentOfMessage(providerId: string): string | null;
  /** Incidents alerted whose id starts with `prefix` (a few at most). */
  alertedIncidents(prefix: string): string[];
  acknowledge(incidentId: string, who: string): Incident;
  log(line: string): void;
}

export type AckResult =
  | { outcome: 'acknowledged'; incidentId: string; who: string }
  | { outcome: 'already'; incidentId: string; who: string }
  | { outcome: 'ignored'; reason: AlertReason | 'NOT_AN_ACK' };

/** How a sender is named in the log: enough to recognise, not the whole number. */
function masked(address: string): string {
  return address.replace(/\d(?=\d{4})/g, '•');
}

function normalized(reply: InboundReply): string {
  if (reply.channel !== 'whatsapp') return reply.from;
  const address = normalizeWhatsAppAddress(reply.from);
  return address.ok ? address.jid : reply.from;
}

export function handleReply(reply: InboundReply, deps: AckDeps): AckResult {
  const request = parseAck(reply.text);
  if (!request) return { outcome: 'ignored', reason: 'NOT_AN_ACK' };
  const sender = deps.recipients(reply.channel, normalized(reply)).find((r) => r.mayAcknowledge);
  if (!sender) {
    deps.log(`alerts: ALERT_ACK_UNAUTHORISED: a ${reply.channel} reply from ${masked(reply.from)}, who may not acknowledge, was ignored`);
    return { outcome: 'ignored', reason: 'ALERT_ACK_UNAUTHORISED' };
  }
  let incidentId: string | null = null;
  if (request.shortId) {
    const matches = deps.alertedIncidents(request.shortId);
    incidentId = matches.length === 1 ? matches[0]! : null;
  } else if (reply.quotedProviderId) {
    incidentId = deps.incidentOfMessage(reply.quotedProviderId);
  }
  if (!incidentId) {
    deps.log(`alerts: ALERT_ACK_UNKNOWN: ${sender.name}'s reply "${reply.text.slice(0, 40)}" names no single alerted incident; ignored`);
    return { outcome: 'ignored', reason: 'ALERT_ACK_UNKNOWN' };
  }
  const who = `${reply.channel}:${sender.name}`.slice(0, 80);
  try {
    deps.acknowledge(incidentId, who);
  } catch (error) {
    // Someone got there first: nothing to change, nothing to report back.
    if (error instanceof EngineError && error.code === 'INCIDENT_TRANSITION_INVALID') {
      deps.log(`alerts: ${who} acknowledged incident ${incidentId.slice(0, 8)}, which was already handled`);
      return { outcome: 'already', incidentId, who };
    }
    throw error;
  }
  deps.log(`alerts: ${who} acknowledged incident ${incidentId.slice(0, 8)} by reply`);
  return { outcome: 'acknowledged', incidentId, who };
}
