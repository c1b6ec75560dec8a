// The alerts API on the real engine: settings and policies, recipients, channel states, test
// sends through the outbox to a real local webhook, retries, the delivery log, the events on
// the WebSocket, and a reason code for every bad request.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, EngineEvent } from '../../src/shared/api';
import type { AlertSettings, ChannelStatus, Delivery, DeliveryPage, Recipient } from '../../src/shared/alerts';
import { startTestEngine, type TestEngine, until } from '../support/test-engine';
import { startReceiver, type WebhookReceiver } from '../unit/alerts/webhook-receiver';

let vigil: TestEngine;
let receiver: WebhookReceiver;
let ws: WebSocket;
const events: EngineEvent[] = [];

beforeAll(async () => {
  vigil = await startTestEngine();
  receiver = await startReceiver();
  ws = new WebSocket(`ws://127.0.0.1:${vigil.engine.port}/api/events?token=${vigil.engine.token}`);
  ws.on('message', (data) => events.push(JSON.parse(data.toString()) as EngineEvent));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
});

afterAll(async () => {
  ws?.close();
  await vigil?.stop();
  await receiver?.close();
});

function expectError(result: { status: number; body: unknown }, status: number, code: string): ApiErrorBody['error'] {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const error = (result.body as ApiErrorBody).error;
  expect(error.code).toBe(code);
  return error;
}

describe('alerts API', () => {
  it('serves defaults, the channels, and replaces the settings as a whole', async () => {
    const settings = await vigil.api<AlertSettings>('GET', '/api/alerts/settings');
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ siteName: 'Vigil site', policies: [], cameraOffline: { enabled: true, afterMs: 120_000, severity: 'high' } });
    const channels = await vigil.api<ChannelStatus[]>('GET', '/api/alerts/channels');
    expect(channels.body.filter((c) => c.kind !== 'whatsapp').map((c) => [c.kind, c.state]).sort()).toEqual([
      ['desktop', 'ready'],
      ['webhook', 'ready'],
    ]);
    const put = await vigil.api<AlertSettings>('PUT', '/api/alerts/settings', { siteName: 'North depot', timeZone: 'Europe/Paris', policies: [{ id: 'desk', name: 'Desk', channels: ['desktop'] }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // Defaults filled by the schema: one alert per minute per camera and type.
    expect(put.body.policies[0]).toMatchObject({ cooldownMs: 60_000, maxPerHour: 30, digestWindowMs: 60_000, minSeverity: 'low', enabled: true, updates: true });
    expect((await vigil.api<AlertSettings>('GET', '/api/alerts/settings')).body).toEqual(put.body);
  });

  it('adds, changes and deletes recipients; secrets never come back', async () => {
    const created = await vigil.api<Recipient>('POST', '/api/alerts/recipients', { channel: 'webhook', address: receiver.url, name: 'SOC', groups: ['control'], secret: 'sixteen-chars-or-more' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ channel: 'webhook', address: receiver.url, name: 'SOC', groups: ['control'], hasSecret: true, enabled: true });
    expect(JSON.stringify(created.body)).not.toContain('sixteen-chars');
    const updated = await vigil.api<Recipient>('PATCH', `/api/alerts/recipients/${created.body.id}`, { name: 'Alarm centre', secret: null });
    expect(updated.body).toMatchObject({ name: 'Alarm centre', hasSecret: false });
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'webhook', address: receiver.url, name: 'Again' }), 409, 'ALERT_RECIPIENT_EXISTS');
    // A policy that names it keeps it from being deleted.
    const settings = (await vigil.api<AlertSettings>('GET', '/api/alerts/settings')).body;
    await vigil.api('PUT', '/api/alerts/settings', { ...settings, policies: [...settings.policies, { id: 'soc', name: 'SOC', channels: ['webhook'], recipientIds: [created.body.id] }] });
    const inUse = expectError(await vigil.api('DELETE', `/api/alerts/recipients/${created.body.id}`), 409, 'ALERT_RECIPIENT_IN_USE');
    expect(inUse.message).toContain('SOC');
    const other = await vigil.api<Recipient>('POST', '/api/alerts/recipients', { channel: 'webhook', address: `${receiver.url}?second`, name: 'Spare' });
    expect((await vigil.api('DELETE', `/api/alerts/recipients/${other.body.id}`)).body).toEqual({ deleted: other.body.id });
    expect((await vigil.api<Recipient[]>('GET', '/api/alerts/recipients')).body.map((r) => r.name)).toEqual(['Alarm centre']);
  });

  it('test-sends through the outbox to the webhook and the desktop banner, live on the events socket', async () => {
    const sent = await vigil.api<{ deliveries: Delivery[] }>('POST', '/api/alerts/test', {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.deliveries.map((d) => d.channel).sort()).toEqual(['desktop', 'webhook']);
    const webhook = sent.body.deliveries.find((d) => d.channel === 'webhook')!;
    await until('the test at the receiver', () => receiver.unique.has(webhook.idempotencyKey));
    expect(receiver.unique.get(webhook.idempotencyKey)!.body).toMatchObject({ kind: 'test', site: 'North depot', title: 'Test alert · North depot' });
    await until('the banner event', () => events.some((e) => e.type === 'alert.banner' && e.banner.kind === 'test'));
    await until('delivered on the events socket', () => events.some((e) => e.type === 'alert.delivery' && e.delivery.id === webhook.id && e.delivery.state === 'delivered'));
    const log = await vigil.api<DeliveryPage>('GET', `/api/alerts/deliveries?kind=test&channel=webhook&token=${vigil.engine.token}`);
    expect(log.body.deliveries.map((d) => [d.id, d.state])).toEqual([[webhook.id, 'delivered']]);
  });

  it('sends a failed delivery again on request, with the same key', async () => {
    receiver.answer = () => ({ status: 410 });
    const sent = await vigil.api<{ deliveries: Delivery[] }>('POST', '/api/alerts/test', { channels: ['webhook'] });
    const [delivery] = sent.body.deliveries;
    const failed = await until('failed', async () => (await vigil.api<DeliveryPage>('GET', '/api/alerts/deliveries?state=failed')).body.deliveries.find((d) => d.id === delivery!.id));
    expect(failed).toMatchObject({ reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 410 Gone', attempts: 1 });
    receiver.answer = () => ({ status: 200 });
    const retried = await vigil.api<Delivery>('POST', `/api/alerts/deliveries/${delivery!.id}/retry`);
    expect(retried.body).toMatchObject({ state: 'queued', reason: null });
    await until('delivered', async () => (await vigil.api<DeliveryPage>('GET', '/api/alerts/deliveries?state=delivered')).body.deliveries.some((d) => d.id === delivery!.id));
    expect(receiver.posts.filter((p) => p.key === delivery!.idempotencyKey)).toHaveLength(2);
    expectError(await vigil.api('POST', `/api/alerts/deliveries/${delivery!.id}/retry`), 409, 'ALERT_RETRY_INVALID');
  });

  it('pages the delivery log newest first', async () => {
    const page = await vigil.api<DeliveryPage>('GET', '/api/alerts/deliveries?limit=2');
    expect(page.body.deliveries).toHaveLength(2);
    expect(page.body.next).not.toBeNull();
    const older = await vigil.api<DeliveryPage>('GET', `/api/alerts/deliveries?limit=2&before=${encodeURIComponent(page.body.next!)}`);
    expect(older.body.deliveries.length).toBeGreaterThan(0);
    expect(older.body.deliveries[0]!.createdAt).toBeLessThanOrEqual(page.body.deliveries[1]!.createdAt);
    expect(new Set([...page.body.deliveries, ...older.body.deliveries].map((d) => d.id)).size).toBe(page.body.deliveries.length + older.body.deliveries.length);
  });

  it('rejects bad requests with their reason codes', async () => {
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'webhook', address: 'ftp://example.org/x', name: 'x' }), 400, 'ALERT_WEBHOOK_URL_INVALID');
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'webhook', address: 'http://user:pw@127.0.0.1/x', name: 'x' }), 400, 'ALERT_WEBHOOK_URL_INVALID');
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'whatsapp', address: '0171 1234567', name: 'x' }), 400, 'WHATSAPP_NUMBER_INVALID');
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'desktop', address: 'desktop', name: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'webhook', address: receiver.url, name: 'x', admin: true }), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('POST', '/api/alerts/recipients', { channel: 'webhook', address: `${receiver.url}?3`, name: 'x', secret: 'short' }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('PATCH', '/api/alerts/recipients/nobody', { name: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    const settings = (await vigil.api<AlertSettings>('GET', '/api/alerts/settings')).body;
    const unknown = expectError(await vigil.api('PUT', '/api/alerts/settings', { ...settings, policies: [{ id: 'x', name: 'X', channels: ['webhook'], recipientIds: ['nobody'] }] }), 400, 'ALERT_POLICY_INVALID');
    expect(unknown.issues?.[0]?.path).toBe('policies.0.recipientIds.0');
    expectError(await vigil.api('PUT', '/api/alerts/settings', { ...settings, timeZone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('PUT', '/api/alerts/settings', { ...settings, policies: [{ id: 'x', name: 'X', channels: [] }] }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('PUT', '/api/alerts/settings', { ...settings, policies: [{ id: 'x', name: 'X', channels: ['desktop'], quietHours: { from: '22:00', to: '22:00' } }] }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('GET', '/api/alerts/deliveries?state=lost'), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('GET', '/api/alerts/deliveries?before=yesterday'), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('POST', '/api/alerts/test', { recipientIds: ['nobody'] }), 400, 'ALERT_RECIPIENT_UNKNOWN');
    expectError(await vigil.api('POST', '/api/alerts/deliveries/nothing-here/retry'), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('DELETE', '/api/alerts/settings'), 405, 'METHOD_NOT_ALLOWED');
    expectError(await vigil.api('PUT', '/api/alerts/settings', 'not json'), 400, 'BAD_JSON');
  });
});
