// The webhook channel against a real local HTTP server: what it sends (body, idempotency key,
// event, signature) and how it reads each kind of answer, so that the outbox retries exactly
// what another try can fix.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage, AlertRecipient } from '../../../src/main/engine/alerts/channel';
import { parseRetryAfter, WebhookChannel } from '../../../src/main/engine/alerts/webhook-channel';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let receiver: WebhookReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

const message: AlertMessage = {
  alertId: 'a1b2c3',
  idempotencyKey: 'k'.repeat(64),
  incidentId: '1a2b3c4d-0000-4000-8000-000000000000',
  kind: 'incident',
  severity: 'critical',
  title: 'CRITICAL · Gate 2 · Person in yard',
  text: 'CRITICAL alert at Depot',
  snapshotPath: null,
  payload: { event: 'alert.incident', severity: 'critical', alertId: 'a1b2c3' },
};

function channel(secret: string | null = null, timeoutMs = 2000): WebhookChannel {
  return new WebhookChannel({ secretFor: (id) => (id === 'r1' ? secret : null), timeoutMs });
}

function to(url: string): AlertRecipient {
  return { id: 'r1', channel: 'webhook', address: url, name: 'SOC' };
}

const send = (c: WebhookChannel, url: string, signal = new AbortController().signal) => c.send(message, to(url), signal);

describe('webhook channel', () => {
  it('POSTs the JSON payload with the idempotency key, event and an HMAC-SHA256 signature; 2xx is delivered', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const outcome = await send(channel('a-long-enough-secret'), receiver.url);
    expect(outcome).toEqual({ ok: true, delivered: true });
    const [post] = receiver.posts;
    expect(post?.key).toBe(message.idempotencyKey);
    expect(post?.event).toBe('alert.incident');
    expect(post?.alertId).toBe('a1b2c3');
    expect(post?.body).toEqual(message.payload);
    const expected = `sha256=${createHmac('sha256', 'a-long-enough-secret').update(post!.raw).digest('hex')}`;
    expect(post?.signature).toBe(expected);
  });

  it('sends no signature without a secret', async () => {
    receiver = await startReceiver();
    await send(channel(null), receiver.url);
    expect(receiver.posts[0]?.signature).toBeUndefined();
  });

  it('does not retry a 4xx rejection', async () => {
    receiver = await startReceiver(() => ({ status: 404 }));
    expect(await send(channel(), receiver.url)).toMatchObject({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 404 Not Found' });
    receiver.answer = () => ({ status: 401 });
    expect(await send(channel(), receiver.url)).toMatchObject({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_REJECTED' });
  });

  it('retries 5xx and 408', async () => {
    receiver = await startReceiver(() => ({ status: 503 }));
    expect(await send(channel(), receiver.url)).toMatchObject({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_SERVER_ERROR', message: 'HTTP 503 Service Unavailable' });
    receiver.answer = () => ({ status: 408 });
    expect(await send(channel(), receiver.url)).toMatchObject({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_TIMEOUT' });
  });

  it('retries 429 after the Retry-After the receiver asked for', async () => {
    receiver = await startReceiver(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    expect(await send(channel(), receiver.url)).toEqual({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_RATE_LIMITED', message: 'HTTP 429 Too Many Requests', retryAfterMs: 7000 });
    expect(parseRetryAfter(new Date(Date.UTC(2025, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2025, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('retries a refused connection', async () => {
    // A port that was free a moment ago and has nobody listening.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    expect(await send(channel(), `http://127.0.0.1:${port}/hook`)).toMatchObject({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up on a receiver that does not answer in time, and retries', async () => {
    receiver = await startReceiver(() => 'hang');
    expect(await send(channel(null, 300), receiver.url)).toMatchObject({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_TIMEOUT' });
    expect(receiver.posts).toHaveLength(1);
  });

  it('stops at once when the engine stops', async () => {
    receiver = await startReceiver(() => 'hang');
    const abort = new AbortController();
    const pending = send(channel(null, 60_000), receiver.url, abort.signal);
    while (receiver.posts.length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    expect(await pending).toMatchObject({ ok: false, retry: true, reason: 'ALERT_SEND_FAILED' });
  });

  it('refuses addresses that are not http(s) URLs without sending anything', async () => {
    expect(await send(channel(), 'ftp://127.0.0.1/x')).toMatchObject({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_URL_INVALID' });
    expect(await send(channel(), 'http://user:pw@127.0.0.1/x')).toMatchObject({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_URL_INVALID' });
  });
});
