// The outbox: its state machine and backoff (pure), the table's moves on a real SQLite
// database, and a dispatcher working rows off through the real webhook channel to a real
// local receiver, with a clock the test moves past each backoff.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src/main/engine/alerts/dispatcher';
import { OutboxRepo, type NewDelivery } from '../../../src/main/engine/alerts/outbox-repo';
import { afterSend, ALERT_TTL_MS, canMove, OUTBOX_MOVES, retryDelay } from '../../../src/main/engine/alerts/outbox-state';
import { WebhookChannel } from '../../../src/main/engine/alerts/webhook-channel';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { DELIVERY_STATES, type DeliveryState } from '../../../src/shared/alerts';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

const T0 = 1_700_000_000_000;
let db: Db | null = null;
let receiver: WebhookReceiver | null = null;
let dispatcher: Dispatcher | null = null;

afterEach(async () => {
  await dispatcher?.stop();
  await receiver?.close();
  db?.close();
  db = receiver = dispatcher = null;
});

function row(overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id: randomUUID(),
    idempotencyKey: randomUUID(),
    incidentId: 'inc-1',
    policyId: 'p1',
    cameraId: 'gate',
    kind: 'incident',
    severity: 'high',
    title: 'HIGH · Gate',
    text: 'text',
    payload: { kind: 'incident' },
    channel: 'webhook',
    recipientId: 'r1',
    recipientName: 'SOC',
    address: 'http://127.0.0.1:1/hook',
    state: 'queued',
    ...overrides,
  };
}

describe('outbox state machine', () => {
  it('allows only the documented moves; delivered and suppressed are final', () => {
    const reachable = new Set<DeliveryState>(['queued', 'suppressed']);
    for (const from of DELIVERY_STATES) for (const to of OUTBOX_MOVES[from]) reachable.add(to);
    expect([...reachable].sort()).toEqual([...DELIVERY_STATES].sort());
    expect(canMove('queued', 'sending')).toBe(true);
    expect(canMove('sending', 'queued')).toBe(true); // a retry, or a crash recovered
    expect(canMove('queued', 'sent')).toBe(false); // never sent without being claimed first
    expect(canMove('failed', 'sending')).toBe(false); // only an operator's retry requeues it
    expect(OUTBOX_MOVES.delivered).toEqual([]);
    expect(OUTBOX_MOVES.suppressed).toEqual([]);
  });

  it('turns each channel answer into the next state; only retryable failures come back', () => {
    expect(afterSend({ ok: true, delivered: true }, 1, T0)).toEqual({ state: 'delivered', providerId: null });
    expect(afterSend({ ok: true, delivered: false, providerId: 'wa-1' }, 1, T0)).toEqual({ state: 'sent', providerId: 'wa-1' });
    expect(afterSend({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 404' }, 1, T0)).toEqual({ state: 'failed', reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 404' });
    const retry = afterSend({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_TIMEOUT', message: 'slow' }, 1, T0, () => 0.5);
    expect(retry).toEqual({ state: 'queued', nextAttemptAt: T0 + 2000, reason: 'ALERT_WEBHOOK_TIMEOUT', message: 'slow' });
  });

  it('backs off exponentially with jitter, capped, and honours Retry-After', () => {
    const middle = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempts) => retryDelay(attempts, undefined, () => 0.5));
    expect(middle).toEqual([2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
    for (const attempts of [1, 4, 12]) {
      const base = retryDelay(attempts, undefined, () => 0.5);
      expect(retryDelay(attempts, undefined, () => 0)).toBe(Math.round(base * 0.75));
      expect(retryDelay(attempts, undefined, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.25));
    }
    expect(retryDelay(1, 7000)).toBe(7000);
    expect(retryDelay(5, 0)).toBe(1000); // never hammer a receiver that says "now"
    expect(retryDelay(1, 24 * 3600_000)).toBe(ALERT_TTL_MS);
  });
});

describe('outbox table', () => {
  it('stores each idempotency key once', () => {
    db = openDatabase(':memory:');
    const outbox = new OutboxRepo(db);
    const first = row();
    expect(outbox.insert([first, row({ idempotencyKey: first.idempotencyKey })], T0)).toEqual([first.id]);
  });

  it('claims due rows most severe first, retries them when due, and expires them after their time', () => {
    db = openDatabase(':memory:');
    const outbox = new OutboxRepo(db);
    const low = row({ severity: 'low' });
    const critical = row({ severity: 'critical' });
    outbox.insert([low, critical], T0);
    const claimed = outbox.claim('webhook', T0, 1);
    expect(claimed.map((r) => [r.id, r.state, r.attempts])).toEqual([[critical.id, 'sending', 1]]);
    // A second dispatcher asking at the same moment gets the other row, never the same one.
    expect(outbox.claim('webhook', T0, 5).map((r) => r.id)).toEqual([low.id]);
    expect(outbox.settle(critical.id, { state: 'queued', nextAttemptAt: T0 + 2000, reason: 'ALERT_WEBHOOK_TIMEOUT', message: 'slow' }, T0)).toBe(true);
    expect(outbox.claim('webhook', T0 + 1999, 5)).toEqual([]);
    expect(outbox.nextDue('webhook', T0)).toBe(T0 + 2000);
    expect(outbox.claim('webhook', T0 + 2000, 5).map((r) => [r.id, r.attempts])).toEqual([[critical.id, 2]]);
    expect(outbox.settle(critical.id, { state: 'delivered', providerId: null }, T0 + 2100)).toBe(true);
    // A late second answer for the same attempt changes nothing.
    expect(outbox.settle(critical.id, { state: 'failed', reason: 'ALERT_SEND_FAILED', message: 'x' }, T0 + 2200)).toBe(false);
    expect(outbox.get(critical.id)).toMatchObject({ state: 'delivered', delivered_at: T0 + 2100, reason: null });
    expect(outbox.settle(low.id, { state: 'queued', nextAttemptAt: T0 + 5000, reason: 'ALERT_WEBHOOK_UNREACHABLE', message: 'ECONNREFUSED' }, T0)).toBe(true);
    expect(outbox.expire(T0 + ALERT_TTL_MS - 1)).toEqual([]);
    expect(outbox.expire(T0 + ALERT_TTL_MS)).toEqual([low.id]);
    expect(outbox.get(low.id)).toMatchObject({ state: 'expired', reason: 'ALERT_EXPIRED', message: 'Last problem: ECONNREFUSED' });
    expect(outbox.claim('webhook', T0 + ALERT_TTL_MS + 1, 5)).toEqual([]);
  });

  it('puts rows a crash left sending back in the queue, and lets an operator retry failed ones', () => {
    db = openDatabase(':memory:');
    const outbox = new OutboxRepo(db);
    const a = row();
    const b = row();
    outbox.insert([a, b], T0);
    outbox.claim('webhook', T0, 2);
    outbox.settle(b.id, { state: 'failed', reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 400' }, T0);
    expect(outbox.requeue(a.id, T0)).toBe(false); // still sending: not the operator's to retry
    expect(outbox.recoverSending(T0 + 10)).toEqual([a.id]);
    expect(outbox.get(a.id)).toMatchObject({ state: 'queued', attempts: 1, next_attempt_at: T0 + 10, idempotency_key: a.idempotencyKey });
    expect(outbox.requeue(b.id, T0 + 20)).toBe(true);
    expect(outbox.get(b.id)).toMatchObject({ state: 'queued', reason: null, expires_at: T0 + 20 + ALERT_TTL_MS });
  });

  it('lists newest first in pages, filtered', () => {
    db = openDatabase(':memory:');
    const outbox = new OutboxRepo(db);
    for (let i = 0; i < 5; i++) outbox.insert([row({ incidentId: `inc-${i % 2}` })], T0 + i);
    outbox.insert([row({ incidentId: 'inc-9', state: 'suppressed', channel: null, recipientId: null, recipientName: null, address: null, reason: 'ALERT_COOLDOWN' })], T0 + 10);
    const first = outbox.list({ limit: 2 });
    expect(first.deliveries.map((d) => d.createdAt)).toEqual([T0 + 10, T0 + 4]);
    const second = outbox.list({ limit: 2, before: first.next! });
    expect(second.deliveries.map((d) => d.createdAt)).toEqual([T0 + 3, T0 + 2]);
    const last = outbox.list({ limit: 2, before: second.next! });
    expect(last.deliveries.map((d) => d.createdAt)).toEqual([T0 + 1, T0]);
    expect(last.next).toBeNull();
    expect(outbox.list({ limit: 10, incident: 'inc-1' }).deliveries).toHaveLength(2);
    expect(outbox.list({ limit: 10, state: 'suppressed' }).deliveries[0]).toMatchObject({ channel: null, reason: 'ALERT_COOLDOWN', nextAttemptAt: null });
  });
});

describe('dispatcher', () => {
  async function dispatch(answers: number[]) {
    db = openDatabase(':memory:');
    const outbox = new OutboxRepo(db);
    const clock = { now: T0 };
    let index = 0;
    receiver = await startReceiver(() => ({ status: answers[Math.min(index++, answers.length - 1)]! }));
    const changes: string[] = [];
    dispatcher = new Dispatcher({
      channel: new WebhookChannel({ secretFor: () => null, timeoutMs: 2000 }),
      outbox,
      recipient: (id) => ({ id, channel: 'webhook', address: receiver!.url, name: 'SOC' }),
      snapshot: () => null,
      changed: (id) => changes.push(outbox.get(id)!.state),
      log: () => undefined,
      now: () => clock.now,
      random: () => 0.5,
      idleMs: 50,
    });
    const alert = row({ address: receiver.url });
    outbox.insert([alert], T0);
    dispatcher.start();
    return { outbox, clock, alert, changes };
  }

  const until = async (what: string, probe: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('retries a failing receiver with backoff and the same idempotency key until it takes the alert', async () => {
    const { outbox, clock, alert, changes } = await dispatch([503, 503, 200]);
    await until('first attempt', () => outbox.get(alert.id)!.state === 'queued' && outbox.get(alert.id)!.attempts === 1);
    expect(outbox.get(alert.id)).toMatchObject({ next_attempt_at: T0 + 2000, reason: 'ALERT_WEBHOOK_SERVER_ERROR' });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver!.posts).toHaveLength(1); // not due yet: no second try
    clock.now = T0 + 2000;
    dispatcher!.wake();
    await until('second attempt', () => outbox.get(alert.id)!.attempts === 2 && outbox.get(alert.id)!.state === 'queued');
    expect(outbox.get(alert.id)!.next_attempt_at).toBe(T0 + 2000 + 4000);
    clock.now = T0 + 6000;
    dispatcher!.wake();
    await until('delivered', () => outbox.get(alert.id)!.state === 'delivered');
    expect(receiver!.posts.map((p) => p.key)).toEqual([alert.idempotencyKey, alert.idempotencyKey, alert.idempotencyKey]);
    expect(outbox.get(alert.id)).toMatchObject({ attempts: 3, reason: null });
    expect(changes).toEqual(['sending', 'queued', 'sending', 'queued', 'sending', 'delivered']);
  });

  it('does not retry a rejection', async () => {
    const { outbox, alert } = await dispatch([400, 200]);
    await until('failed', () => outbox.get(alert.id)!.state === 'failed');
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver!.posts).toHaveLength(1);
    expect(outbox.get(alert.id)).toMatchObject({ attempts: 1, reason: 'ALERT_WEBHOOK_REJECTED', message: 'HTTP 400 Bad Request' });
  });
});
