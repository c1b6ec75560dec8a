// From the policy's decisions to outbox rows: who exactly hears of each alert, what it says,
// and the idempotency key that stays with it through every retry and restart.
import { createHash, randomUUID } from 'node:crypto';
import type { AlertKind, Recipient } from '../../../shared/alerts';
import type { Incident } from '../../../shared/incidents';
import type { AlertRecipient } from './channel';
import { renderAlert, type RenderedAlert, type Site } from './message';
import type { NewDelivery } from './outbox-repo';
import type { AlertPlan, Audience } from './policy-engine';
import { DESKTOP_RECIPIENT } from './recipients-repo';

export interface EnqueueContext {
  site: Site;
  now: number;
  /** Every recipient (read once per decision, and only when something is to be sent). */
  recipients(): readonly Recipient[];
  incident(id: string): Incident | null;
  /** The zone and line names an incident's details refer to. */
  places(incident: Incident): { zoneName: string | null; lineName: string | null };
}

/**
 * One key per alert and recipient, the same whenever it is computed: the subject (incident),
 * what kind of alert, for whom, and which of the subject's alerts it is. A second policy
 * naming the same person for the same incident computes the same key, so they get one message.
 */
export function idempotencyKey(subjectKey: string, kind: AlertKind, recipientId: string, sequence: string): string {
  return createHash('sha256').update(`${subjectKey}\n${kind}\n${recipientId}\n${sequence}`).digest('hex');
}

/** The enabled recipients an audience names, on its channels; the desktop when its channels include it. */
export function resolveAudience(audience: Audience, recipients: readonly Recipient[]): AlertRecipient[] {
  const chosen = new Map<string, AlertRecipient>();
  for (const r of recipients) {
    if (!r.enabled) continue;
    if (!audience.recipientIds.includes(r.id) && !r.groups.some((g) => audience.groups.includes(g))) continue;
    if (audience.channels && !audience.channels.includes(r.channel)) continue;
    chosen.set(r.id, { id: r.id, channel: r.channel, address: r.address, name: r.name });
  }
  if (audience.channels?.includes('desktop')) chosen.set(DESKTOP_RECIPIENT.id, DESKTOP_RECIPIENT);
  return [...chosen.values()];
}

function render(plan: AlertPlan, ctx: EnqueueContext): RenderedAlert {
  const incident = plan.subject?.incidentId ? ctx.incident(plan.subject.incidentId) : null;
  const places = incident ? ctx.places(incident) : { zoneName: null, lineName: null };
  return renderAlert({
    kind: plan.kind,
    site: ctx.site,
    now: ctx.now,
    subject: plan.subject,
    incident,
    ...places,
    ...(plan.action === 'send' && plan.update ? { update: plan.update } : {}),
    ...(plan.action === 'send' && plan.digest ? { digest: plan.digest } : {}),
    ...(plan.kind === 'escalation' && plan.policy.escalation ? { escalationMinutes: plan.policy.escalation.afterMinutes } : {}),
  });
}

/** The outbox rows that carry out one decision: one per recipient, or one `suppressed` row. */
export function deliveriesFor(plan: AlertPlan, ctx: EnqueueContext): NewDelivery[] {
  const rendered = render(plan, ctx);
  const payload = { ...rendered.payload, policy: { id: plan.policy.id, name: plan.policy.name } };
  const severity = plan.action === 'send' && plan.digest ? plan.digest.severity : (plan.subject?.severity ?? 'low');
  const base = {
    incidentId: plan.subject?.incidentId ?? null,
    policyId: plan.policy.id,
    cameraId: plan.subject?.cameraId ?? (plan.action === 'send' ? (plan.digest?.cameraId ?? null) : null),
    kind: plan.kind,
    severity,
    title: rendered.title,
    text: rendered.text,
    payload,
  };
  if (plan.action === 'suppress') {
    const message = plan.digested ? 'Counted in the next digest.' : null;
    return [
      {
        ...base,
        id: randomUUID(),
        idempotencyKey: idempotencyKey(plan.subject.key, plan.kind, `policy:${plan.policy.id}`, 'suppressed'),
        channel: null,
        recipientId: null,
        recipientName: null,
        address: null,
        state: 'suppressed',
        reason: plan.reason,
        message,
      },
    ];
  }
  const subjectKey = plan.subject?.key ?? plan.sequence;
  return resolveAudience(plan.audience, ctx.recipients()).map((recipient) => ({
    ...base,
    id: randomUUID(),
    idempotencyKey: idempotencyKey(subjectKey, plan.kind, recipient.id, plan.sequence),
    channel: recipient.channel,
    recipientId: recipient.id,
    recipientName: recipient.name,
    address: recipient.address,
    state: 'queued',
  }));
}

/** A test alert: one row per chosen recipient, each with a fresh key (every test is news). */
export function testDeliveries(recipients: readonly AlertRecipient[], ctx: Pick<EnqueueContext, 'site' | 'now'>): NewDelivery[] {
  const testId = randomUUID();
  const rendered = renderAlert({ kind: 'test', site: ctx.site, now: ctx.now, subject: null, incident: null });
  return recipients.map((recipient) => ({
    id: randomUUID(),
    idempotencyKey: idempotencyKey(`test:${testId}`, 'test', recipient.id, '0'),
    incidentId: null,
    policyId: null,
    cameraId: null,
    kind: 'test',
    severity: 'low',
    title: rendered.title,
    text: rendered.text,
    payload: rendered.payload,
    channel: recipient.channel,
    recipientId: recipient.id,
    recipientName: recipient.name,
    address: recipient.address,
    state: 'queued',
  }));
}
