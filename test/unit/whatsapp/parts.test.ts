// The small parts of the WhatsApp channel: the disconnect table, the bounded caches, and the
// logger that keeps Baileys' payloads out of the log.
import { Boom } from '@hapi/boom';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { baileysLogger } from '../../../src/main/engine/alerts/whatsapp/baileys-log';
import { BoundedCache } from '../../../src/main/engine/alerts/whatsapp/bounded-cache';
import { DISCONNECT, disconnectAction, statusCodeOf } from '../../../src/main/engine/alerts/whatsapp/disconnect-policy';
import { sendFailure } from '../../../src/main/engine/alerts/whatsapp/outbound';
import { FakeClock } from './fake-clock';

describe('disconnect table', () => {
  it('uses the codes Baileys names', () => {
    expect(DISCONNECT.restartRequired).toBe(DisconnectReason.restartRequired);
    expect(DISCONNECT.loggedOut).toBe(DisconnectReason.loggedOut);
    expect(DISCONNECT.forbidden).toBe(DisconnectReason.forbidden);
    expect(DISCONNECT.connectionReplaced).toBe(DisconnectReason.connectionReplaced);
    expect(DISCONNECT.connectionClosed).toBe(DisconnectReason.connectionClosed);
    expect(DISCONNECT.timedOut).toBe(DisconnectReason.timedOut);
    expect(DISCONNECT.badSession).toBe(DisconnectReason.badSession);
    expect(DISCONNECT.unavailable).toBe(DisconnectReason.unavailableService);
  });

  it.each([
    [515, 'reconnect-now', undefined],
    [401, 'logged-out', 'WHATSAPP_LOGGED_OUT'],
    [403, 'logged-out', 'WHATSAPP_LOGGED_OUT'],
    [440, 'stop', 'WHATSAPP_CONNECTION_REPLACED'],
    [405, 'stop', 'WHATSAPP_STALE_VERSION'],
    [428, 'backoff', 'WHATSAPP_DISCONNECTED'],
    [408, 'backoff', 'WHATSAPP_DISCONNECTED'],
    [500, 'backoff', 'WHATSAPP_DISCONNECTED'],
    [503, 'backoff', 'WHATSAPP_DISCONNECTED'],
    [undefined, 'backoff', 'WHATSAPP_DISCONNECTED'],
  ])('%s -> %s', (code, kind, reason) => {
    const action = disconnectAction(code);
    expect(action.kind).toBe(kind);
    expect('reason' in action ? action.reason : undefined).toBe(reason);
  });

  it('reads the status code of a Boom error and nothing from other errors', () => {
    expect(statusCodeOf(new Boom('Connection Failure', { statusCode: 405 }))).toBe(405);
    expect(statusCodeOf(new Error('plain'))).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
  });

  it('a failed query with WhatsApp error 463 or 429 in its data is a rate limit', () => {
    expect(sendFailure(new Boom('rate-overlimit', { data: 429 }))).toMatchObject({ retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(sendFailure(new Boom('restricted', { data: 463 }))).toMatchObject({ retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(sendFailure(new Error('Timed Out'))).toMatchObject({ retry: true, reason: 'WHATSAPP_DISCONNECTED' });
    expect(sendFailure(new Error('media upload failed on all hosts'))).toMatchObject({ retry: true, reason: 'WHATSAPP_SEND_FAILED' });
  });
});

describe('BoundedCache', () => {
  it('drops the least recently used entry past its size', () => {
    const cache = new BoundedCache<number>({ maxEntries: 3, ttlMs: 60_000 }, new FakeClock());
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });

  it('forgets entries older than their age limit', async () => {
    const clock = new FakeClock();
    const cache = new BoundedCache<string>({ maxEntries: 10, ttlMs: 1000 }, clock);
    cache.set('a', 'x');
    await clock.advance(999);
    expect(cache.get('a')).toBe('x');
    await clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('offers the batch calls of Baileys extended cache store', async () => {
    const cache = new BoundedCache<string[]>({ maxEntries: 10, ttlMs: 1000 }, new FakeClock());
    cache.mset([
      { key: 'u1', value: ['d1'] },
      { key: 'u2', value: ['d2'] },
    ]);
    expect(await cache.mget(['u1', 'u2', 'u3'])).toEqual({ u1: ['d1'], u2: ['d2'], u3: undefined });
    cache.mdel(['u1']);
    cache.del('u2');
    expect(cache.size).toBe(0);
  });
});

describe('Baileys logger', () => {
  it('forwards warnings as one line without the objects Baileys attaches', () => {
    const lines: string[] = [];
    const logger = baileysLogger((line) => lines.push(line), 'warn');
    logger.info({ creds: { noiseKey: 'SECRET' } }, 'connected to WA');
    logger.warn({ attrs: { from: '4917612345678@s.whatsapp.net' }, text: 'ACK 42' }, 'received error in ack');
    logger.child({ class: 'baileys' }).error({ err: new Error('Connection Closed'), node: { content: 'SECRET' } }, 'error in handling message');
    expect(lines).toEqual(['baileys warn: received error in ack', 'baileys error: error in handling message: Connection Closed']);
    expect(lines.join('\n')).not.toMatch(/SECRET|4917612345678|ACK 42/);
  });

  it('stays silent when asked to', () => {
    const lines: string[] = [];
    const logger = baileysLogger((line) => lines.push(line), 'silent');
    logger.error('boom');
    expect(lines).toEqual([]);
  });
});
