// The alert service wired to the real incident service, SQLite and the real webhook and
// desktop channels: an incident becomes exactly one stored alert per recipient, sent with its
// idempotency key; a restart resends what was mid-send with the same key; cameras down
// without a rule are watched; test sends and retries go through the same outbox.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraView } from '../../../src/shared/cameras';
import type { AlertBanner } from '../../../src/shared/alerts';
import { CameraDownWatch } from '../../../src/main/engine/alerts/camera-down-watch';
import { IncidentsRepo } from '../../../src/main/engine/incidents/incidents-repo';
import type { AlertSubject } from '../../../src/main/engine/alerts/policy-engine';
import { AlertSettingsSchema } from '../../../src/shared/alerts';
import { serviceBench, until, type ServiceBench } from './service-fixtures';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let bench: ServiceBench | null = null;
let receiver: WebhookReceiver | null = null;
afterEach(async () => {
  await bench?.close();
  await receiver?.close();
  bench = receiver = null;
});

async function withWebhook(answer?: WebhookReceiver['answer']) {
  const b = (bench = serviceBench());
  receiver = await startReceiver(answer);
  const soc = await b.alerts.config.createRecipient({ channel: 'webhook', address: receiver.url, name: 'SOC', groups: [], mayAcknowledge: false, enabled: true, secret: 'shared-secret-of-the-soc' });
  return { b, soc, receiver };
}

describe('alert service', () => {
  it('stores one alert per recipient before sending, then POSTs it signed and shows the desktop banner', async () => {
    const { b, soc, receiver } = await withWebhook();
    b.policies([{ id: 'all', name: 'Everything', channels: ['webhook', 'desktop'], recipientIds: [soc.id], cooldownMs: 0 }]);
    b.alerts.start();
    const incident = b.intruder();
    // The incident service's run is over: its events are decided on, in one batch, right after.
    await Promise.resolve();
    // Stored before any send: the rows exist, and nothing has gone out yet.
    const stored = b.alerts.outbox.list({ limit: 10, incident: incident.id }).deliveries;
    expect(stored.map((d) => [d.channel, d.state]).sort()).toEqual([
      ['desktop', 'queued'],
      ['webhook', 'queued'],
    ]);
    expect(receiver.posts).toHaveLength(0);
    await until('the webhook delivered', () => b.alerts.outbox.list({ limit: 10, state: 'delivered' }).deliveries.length === 1);
    const [post] = receiver.posts;
    const row = stored.find((d) => d.channel === 'webhook')!;
    expect(post).toMatchObject({ key: row.idempotencyKey, event: 'alert.incident', alertId: row.id });
    expect(post!.signature).toBe(`sha256=${createHmac('sha256', 'shared-secret-of-the-soc').update(post!.raw).digest('hex')}`);
    expect(post!.body).toMatchObject({ kind: 'incident', severity: 'high', site: 'Depot', subject: { incidentId: incident.id, cameraName: 'Yard camera', zone: 'Yard', label: 'person' }, policy: { id: 'all' } });
    const banner = b.events.find((e) => e.type === 'alert.banner') as { banner: AlertBanner } | undefined;
    expect(banner?.banner).toMatchObject({ incidentId: incident.id, severity: 'high', title: 'HIGH · Yard camera · Intruder in the yard' });
    // Every state change went out as an event for the delivery log.
    const states = b.events.flatMap((e) => (e.type === 'alert.delivery' && e.delivery.id === row.id ? [e.delivery.state] : []));
    expect(states).toEqual(['queued', 'sending', 'delivered']);
  });

  it('sends one message per person for an incident two policies cover', async () => {
    const { b, soc, receiver } = await withWebhook();
    b.policies([
      { id: 'guards', name: 'Guards', channels: ['webhook'], recipientIds: [soc.id], cooldownMs: 0 },
      { id: 'high', name: 'High and up', channels: ['webhook'], recipientIds: [soc.id], minSeverity: 'high', cooldownMs: 0 },
    ]);
    b.alerts.start();
    b.intruder();
    await until('delivered', () => receiver.posts.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.posts).toHaveLength(1);
  });

  it('resends what a crash left mid-send, with the same idempotency key', async () => {
    const { b, soc, receiver } = await withWebhook();
    b.policies([{ id: 'all', name: 'Everything', channels: ['webhook'], recipientIds: [soc.id], cooldownMs: 0 }]);
    // Not started: the alert is stored and then claimed as a dispatcher would, and the "crash" comes before the answer.
    const incident = b.intruder();
    await Promise.resolve();
    const [claimed] = b.alerts.outbox.claim('webhook', Date.now(), 5);
    expect(claimed).toMatchObject({ incident_id: incident.id, state: 'sending', attempts: 1 });
    const restarted = b.restart();
    await until('delivered after the restart', () => restarted.outbox.get(claimed!.id)?.state === 'delivered');
    expect(receiver.posts.map((p) => p.key)).toEqual([claimed!.idempotency_key]);
    expect(restarted.outbox.get(claimed!.id)).toMatchObject({ attempts: 2 });
    expect(b.logs.some((l) => l.includes('mid-send'))).toBe(true);
  });

  it('decides at start on incidents a crash left without an alert decision', async () => {
    const { b, soc, receiver } = await withWebhook();
    b.policies([{ id: 'all', name: 'Everything', channels: ['webhook'], recipientIds: [soc.id], cooldownMs: 0 }]);
    // Incidents committed by the incident store, then the crash: no event reached the alerts.
    const repo = new IncidentsRepo(b.db);
    const raise = (at: number, trackId: number) =>
      repo.raise({ cameraId: 'cam-1', cameraName: 'Yard camera', ruleId: 'intruder', ruleName: 'Intruder in the yard', type: 'presence', severity: 'high', trackId, trackKey: null, label: 'person', startedAt: at, raisedAt: at, details: {} });
    const recent = raise(Date.now() - 5000, 1);
    const old = raise(Date.now() - 20 * 60_000, 2);
    // The restart ends conditions left open (incident service) before the alerts start.
    repo.endLeftOpen('engine restarted');
    const restarted = b.restart();
    await until('the recovered alert', () => receiver.posts.length === 1);
    expect(receiver.posts[0]!.body).toMatchObject({ kind: 'incident', subject: { incidentId: recent.id } });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.posts).toHaveLength(1);
    expect(restarted.outbox.list({ limit: 10, incident: old.id }).deliveries).toEqual([]);
  });

  it('expires what a channel could not send in time', async () => {
    const { b, soc } = await withWebhook(() => ({ status: 503 }));
    b.policies([{ id: 'all', name: 'Everything', channels: ['webhook'], recipientIds: [soc.id], cooldownMs: 0 }]);
    const incident = b.intruder();
    await Promise.resolve();
    // Stored now, half an hour ago as far as the outbox is concerned.
    b.db.prepare('UPDATE alert_outbox SET expires_at = ? WHERE incident_id = ?').run(Date.now() - 1, incident.id);
    b.alerts.start();
    await until('expired', () => b.alerts.outbox.list({ limit: 5, incident: incident.id }).deliveries[0]?.state === 'expired');
    expect(receiver!.posts).toHaveLength(0);
    expect(b.alerts.outbox.list({ limit: 5, incident: incident.id }).deliveries[0]).toMatchObject({ reason: 'ALERT_EXPIRED' });
  });

  it('test-sends to every enabled recipient and the desktop, and retries a failed delivery on request', async () => {
    const { b, soc, receiver } = await withWebhook(() => ({ status: 400 }));
    b.alerts.start();
    const deliveries = b.alerts.testSend({});
    expect(deliveries.map((d) => [d.kind, d.channel, d.recipientName]).sort()).toEqual([
      ['test', 'desktop', 'This workstation'],
      ['test', 'webhook', 'SOC'],
    ]);
    const webhook = deliveries.find((d) => d.channel === 'webhook')!;
    await until('failed', () => b.alerts.outbox.get(webhook.id)?.state === 'failed');
    expect(() => b.alerts.retry(deliveries.find((d) => d.channel === 'desktop')!.id)).toThrow(/only a failed or expired one/);
    receiver.answer = () => ({ status: 200 });
    expect(b.alerts.retry(webhook.id)).toMatchObject({ state: 'queued' });
    await until('delivered', () => b.alerts.outbox.get(webhook.id)?.state === 'delivered');
    expect(receiver.posts.map((p) => p.key)).toEqual([webhook.idempotencyKey, webhook.idempotencyKey]);
    expect(() => b.alerts.testSend({ recipientIds: ['nobody'] })).toThrow(/No recipient/);
    expect(b.alerts.testSend({ recipientIds: [soc.id] }).map((d) => d.channel)).toEqual(['webhook']);
  });

  it('sends escalations and digests when they fall due on its own timer', async () => {
    const { b, soc, receiver } = await withWebhook();
    const boss = await b.alerts.config.createRecipient({ channel: 'webhook', address: `${receiver.url}?boss`, name: 'Boss', groups: ['managers'], mayAcknowledge: false, enabled: true });
    b.policies([{ id: 'guards', name: 'Guards', channels: ['webhook'], recipientIds: [soc.id], cooldownMs: 60_000, digestWindowMs: 30_000, escalation: { afterMinutes: 5, groups: ['managers'] } }]);
    b.alerts.start();
    const first = b.intruder();
    b.intruder();
    b.intruder();
    await until('the first alert', () => receiver.posts.length === 1);
    expect(b.alerts.outbox.list({ limit: 10, state: 'suppressed' }).deliveries.map((d) => d.reason)).toEqual(['ALERT_COOLDOWN', 'ALERT_COOLDOWN']);
    b.clock.offset += 31_000;
    await until('the digest', () => receiver.posts.length === 2);
    expect(receiver.posts[1]!.body).toMatchObject({ kind: 'digest', title: '2 more at Yard camera', digest: { count: 2 } });
    b.clock.offset += 5 * 60_000;
    await until('the escalation', () => receiver.posts.length === 3);
    expect(receiver.posts[2]!.body).toMatchObject({ kind: 'escalation', subject: { incidentId: first.id } });
    expect(b.alerts.outbox.list({ limit: 10, kind: 'escalation' }).deliveries.map((d) => d.recipientId)).toEqual([boss.id]);
  });

  it('watches cameras that went down without a camera-offline rule', async () => {
    const { b, soc, receiver } = await withWebhook();
    b.alerts.config.putSettings(AlertSettingsSchema.parse({ siteName: 'Depot', timeZone: 'UTC', cameraOffline: { enabled: true, afterMs: 10_000, severity: 'critical' }, policies: [{ id: 'down', name: 'Down', channels: ['webhook'], recipientIds: [soc.id], ruleTypes: ['camera-offline'] }] }));
    b.alerts.start();
    const view = (state: string) => ({ id: 'cam-9', name: 'Loading bay', status: { state } }) as unknown as CameraView;
    b.cameras.emit('event', { type: 'camera.status', camera: view('reconnecting') });
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.posts).toHaveLength(0);
    // 11 s later on the alert service's clock.
    b.clock.offset += 11_000;
    await until('the camera-offline alert', () => receiver.posts.length === 1);
    expect(receiver.posts[0]!.body).toMatchObject({ kind: 'camera-offline', severity: 'critical', subject: { incidentId: null, cameraName: 'Loading bay' } });
    b.cameras.emit('event', { type: 'camera.status', camera: view('live') });
    await until('back online', () => receiver.posts.length === 2);
    expect(receiver.posts[1]!.body).toMatchObject({ kind: 'update', title: 'Back online · Loading bay' });
  });
});

describe('camera down watch', () => {
  it('raises after the wait, once, only without a rule, and ends when the picture is back', () => {
    let now = 0;
    const subjects: AlertSubject[] = [];
    const ruled = new Set(['cam-ruled']);
    const watch = new CameraDownWatch({ settings: () => ({ enabled: true, afterMs: 60_000, severity: 'high' }), hasOfflineRule: (id) => ruled.has(id), subject: (s) => subjects.push(s), now: () => now });
    watch.status('cam-1', 'Gate', 'connecting');
    watch.status('cam-ruled', 'Ruled', 'offline');
    now = 30_000;
    watch.status('cam-1', 'Gate', 'offline'); // still down: same episode
    watch.tick();
    expect(subjects).toEqual([]);
    now = 60_000;
    watch.tick();
    watch.tick();
    expect(subjects.map((s) => [s.key, s.cameraName, s.type, s.state, s.endedAt])).toEqual([['camera:cam-1:0', 'Gate', 'camera-offline', 'new', null]]);
    now = 90_000;
    watch.status('cam-1', 'Gate', 'live');
    expect(subjects[1]).toMatchObject({ key: 'camera:cam-1:0', endedAt: 90_000, endReason: 'cleared' });
    // A blip shorter than the wait raises nothing.
    watch.status('cam-1', 'Gate', 'reconnecting');
    now = 100_000;
    watch.status('cam-1', 'Gate', 'live');
    now = 200_000;
    watch.tick();
    expect(subjects).toHaveLength(2);
  });
});
