// The alert settings screen's pure parts: the policy editor's fields to and from the contract
// (with the schema's problems on their fields), summaries, and the live delivery log.
import { describe, expect, it } from 'vitest';
import { AlertPolicySchema, type AlertBanner, type Delivery } from '../../../src/shared/alerts';
import { addBanner, bannerLifetimeMs, formatDuration, policySummary, splitList, upsertDelivery } from '../../../src/renderer/features/alerts/format';
import { fromDraft, newDraft, toDraft } from '../../../src/renderer/features/alerts/policy-form';

const policy = AlertPolicySchema.parse({
  id: 'night',
  name: 'Night guards',
  channels: ['whatsapp', 'desktop'],
  recipientIds: ['ana'],
  groups: ['night'],
  ruleTypes: ['presence', 'loitering'],
  minSeverity: 'high',
  quietHours: { from: '23:00', to: '05:30', criticalOverride: true },
  escalation: { afterMinutes: 10, recipientIds: ['boss'] },
});

describe('policy form', () => {
  it('round-trips a policy through the editor fields', () => {
    const result = fromDraft(toDraft(policy));
    expect(result.problems).toBeNull();
    expect(AlertPolicySchema.parse(result.policy)).toEqual(policy);
  });

  it('starts a new policy with the defaults: a minute of cooldown per camera and type', () => {
    const draft = newDraft(['policy-1']);
    expect(draft).toMatchObject({ id: 'policy-2', cooldownSeconds: '60', maxPerHour: '30', digestSeconds: '60', channels: ['desktop'], quiet: false, escalate: false });
  });

  it('puts the schema problems on their fields', () => {
    const draft = { ...toDraft(policy), name: ' ', cooldownSeconds: 'soon', channels: [], quietFrom: '22:00', quietTo: '22:00', escalateMinutes: '0' };
    const result = fromDraft(draft);
    expect(result.policy).toBeNull();
    expect(Object.keys(result.problems ?? {}).sort()).toEqual(['channels', 'cooldownSeconds', 'escalateMinutes', 'name', 'quietTo']);
    expect(result.problems?.cooldownSeconds).toBe('a number');
  });

  it('reads lists typed with commas', () => {
    expect(splitList(' night shift, managers,, night shift ')).toEqual(['night shift', 'managers']);
  });
});

describe('alert screen words', () => {
  it('sums a policy up in one line', () => {
    const summary = policySummary(policy, [
      { id: 'ana', channel: 'whatsapp', address: 'x', name: 'Ana', groups: [], mayAcknowledge: true, enabled: true, hasSecret: false, createdAt: 0, updatedAt: 0 },
      { id: 'ben', channel: 'whatsapp', address: 'y', name: 'Ben', groups: ['night'], mayAcknowledge: false, enabled: true, hasSecret: false, createdAt: 0, updatedAt: 0 },
      { id: 'cy', channel: 'webhook', address: 'z', name: 'Cy', groups: [], mayAcknowledge: false, enabled: true, hasSecret: false, createdAt: 0, updatedAt: 0 },
    ]);
    expect(summary).toBe('presence, loitering · high and up · all cameras → WhatsApp + Desktop · 2 recipients · cooldown 1 min · max 30/h · quiet 23:00-05:30 (critical passes) · escalates after 10 min');
    expect(formatDuration(0)).toBe('none');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(90_000)).toBe('90 s');
    expect(formatDuration(5_400_000)).toBe('90 min');
  });
});

describe('live delivery log and banners', () => {
  const delivery = (id: string, state: Delivery['state']): Delivery => ({
    id,
    idempotencyKey: `k-${id}`,
    incidentId: null,
    policyId: null,
    cameraId: null,
    kind: 'test',
    severity: 'low',
    title: 't',
    channel: 'webhook',
    recipientId: 'r',
    recipientName: 'R',
    state,
    attempts: 0,
    nextAttemptAt: null,
    expiresAt: 0,
    reason: null,
    message: null,
    createdAt: 0,
    updatedAt: 0,
    sentAt: null,
    deliveredAt: null,
  });

  it('replaces known rows, puts new ones on top, and keeps to the filter', () => {
    let list = upsertDelivery([], delivery('a', 'queued'), '');
    list = upsertDelivery(list, delivery('b', 'queued'), '');
    list = upsertDelivery(list, delivery('a', 'delivered'), '');
    expect(list.map((d) => `${d.id}:${d.state}`)).toEqual(['b:queued', 'a:delivered']);
    let failed = upsertDelivery([], delivery('c', 'sending'), 'failed');
    expect(failed).toEqual([]);
    failed = upsertDelivery([delivery('d', 'failed')], delivery('d', 'queued'), 'failed');
    expect(failed).toEqual([]);
  });

  it('keeps a newer row when an older copy of it arrives late (a test send answered after its events)', () => {
    const at = (id: string, state: Delivery['state'], updatedAt: number): Delivery => ({ ...delivery(id, state), updatedAt });
    let list = upsertDelivery([], at('a', 'delivered', 20), '');
    list = upsertDelivery(list, at('a', 'queued', 10), '');
    expect(list.map((d) => `${d.id}:${d.state}`)).toEqual(['a:delivered']);
    // A retry later on is newer, and replaces it.
    list = upsertDelivery(list, at('a', 'queued', 30), '');
    expect(list.map((d) => `${d.id}:${d.state}`)).toEqual(['a:queued']);
  });

  it('shows each banner once, newest first, a few at most; only urgent ones stay', () => {
    const banner = (alertId: string): AlertBanner => ({ alertId, incidentId: null, kind: 'incident', severity: 'high', title: alertId, text: '', at: 0 });
    let list: AlertBanner[] = [];
    for (const id of ['a', 'b', 'a', 'c', 'd', 'e']) list = addBanner(list, banner(id));
    expect(list.map((b) => b.alertId)).toEqual(['e', 'd', 'c', 'a']);
    expect(bannerLifetimeMs('critical')).toBeNull();
    expect(bannerLifetimeMs('low')).toBe(20_000);
  });
});
