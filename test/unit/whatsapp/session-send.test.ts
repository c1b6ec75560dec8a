// Sending: one queue with spacing, WhatsApp's rate limits (429 thrown, 463 in the ack) never
// retried, connection trouble retried, snapshots with captions, stable message ids.
import { Boom } from '@hapi/boom';
import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../../../src/main/engine/alerts/whatsapp/outbound';
import type { SendOutcome } from '../../../src/main/engine/alerts/channel';
import { settle } from './fake-clock';
import { connected, emptyStore, harness, linkedStore } from './session-harness';

const PERSON = '4917612345678@s.whatsapp.net';
const GROUP = '120363040000000001@g.us';
const request = (n: number, jid = PERSON) => ({ jid, text: `CRITICAL · Gate 2 · Person in zone Yard #${n}`, imagePath: null, messageId: messageIdFor(`alert-${n}`, jid) });

describe('WhatsApp session: sending', () => {
  it('sends one at a time, the gap plus jitter apart (counted from the end of the previous send)', async () => {
    const h = await connected({ spacing: { gapMs: 3000, jitterMs: 1000 }, ackWindowMs: 500 });
    const start = h.clock.now();
    const outcomes = [1, 2, 3, 4].map((n) => h.session.send(request(n)));
    await h.clock.advance(20_000);
    const results = await Promise.all(outcomes);
    expect(results.every((r) => r.ok)).toBe(true);
    const times = h.latest().sent.map((m) => m.at - start);
    // random() = 0.5: each pause is 3000 + 500 jitter, after the 500 ms ack window of the send before.
    expect(times).toEqual([0, 4000, 8000, 12000]);
    expect(h.latest().sent.map((m) => m.options?.messageId)).toEqual([1, 2, 3, 4].map((n) => messageIdFor(`alert-${n}`, PERSON)));
  });

  it('429 rate-overlimit: not retried, and later sends fail at once without touching WhatsApp until the pause ends', async () => {
    const h = await connected({ restrictionMs: 600_000 });
    const socket = h.latest();
    socket.onSend = async () => {
      throw new Boom('rate-overlimit', { data: 429 });
    };
    const first = h.session.send(request(1));
    await h.clock.advance(1000);
    expect(await first).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(h.session.status()).toMatchObject({ state: 'ready', reason: 'WHATSAPP_RATE_LIMITED' });
    const second = h.session.send(request(2));
    await h.clock.advance(10_000);
    expect(await second).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(socket.sent).toHaveLength(1);
    socket.onSend = null;
    await h.clock.advance(600_000);
    expect(h.session.status().reason).toBeNull();
    const third = h.session.send(request(3));
    await h.clock.advance(10_000);
    expect(await third).toMatchObject({ ok: true });
    expect(socket.sent).toHaveLength(2);
  });

  it('463 in the ack (restricted number): the send is reported rate limited, not retried', async () => {
    const h = await connected();
    const socket = h.latest();
    socket.onSend = async (message) => {
      const id = message.options!.messageId!;
      // WhatsApp's error ack arrives a moment after the message went out.
      setImmediate(() => socket.emit('messages.update', [{ key: { remoteJid: message.jid, fromMe: true, id }, update: { status: 0, messageStubParameters: ['463', 'Your account has been restricted'] } }]));
      return { key: { remoteJid: message.jid, fromMe: true, id }, message: {} };
    };
    const outcome = h.session.send(request(1));
    await h.clock.advance(1000);
    expect(await outcome).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(socket.sent).toHaveLength(1);
  });

  it('a reach-out timelock announced by WhatsApp holds sends until it ends', async () => {
    const h = await connected();
    const ends = new Date(h.clock.now() + 3600_000);
    h.latest().emit('connection.update', { reachoutTimeLock: { isActive: true, timeEnforcementEnds: ends } });
    await settle();
    const held = h.session.send(request(1));
    await h.clock.advance(5000);
    expect(await held).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_RATE_LIMITED' });
    expect(h.latest().sent).toHaveLength(0);
    await h.clock.advance(3600_000);
    const later = h.session.send(request(2));
    await h.clock.advance(5000);
    expect(await later).toMatchObject({ ok: true });
  });

  it('while reconnecting: retry later; not linked or replaced: no retry', async () => {
    const h = await connected();
    h.latest().close(428, 'Connection Closed');
    await settle();
    const during = h.session.send(request(1));
    await h.clock.advance(100);
    expect(await during).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_DISCONNECTED' });

    const unlinked = harness(emptyStore());
    await unlinked.session.connect();
    const none = unlinked.session.send(request(2));
    await unlinked.clock.advance(100);
    expect(await none).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_NOT_LINKED' });

    const replaced = await connected();
    replaced.latest().close(440);
    await settle();
    const after = replaced.session.send(request(3));
    await replaced.clock.advance(100);
    expect(await after).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_CONNECTION_REPLACED' });
  });

  it('a connection lost in the middle of a send is retried by the outbox', async () => {
    const h = await connected();
    h.latest().onSend = async () => {
      throw new Boom('Connection Closed', { statusCode: 428 });
    };
    const outcome = h.session.send(request(1));
    await h.clock.advance(1000);
    expect(await outcome).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_DISCONNECTED' });
  });

  it('WhatsApp refusing the message (4xx) is final', async () => {
    const h = await connected();
    h.latest().onSend = async () => {
      throw new Boom('not-acceptable', { data: 406 });
    };
    const outcome = h.session.send(request(1));
    await h.clock.advance(1000);
    expect(await outcome).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_SEND_FAILED' });
  });

  it('a snapshot goes as a JPEG with the text as caption; a missing one falls back to text', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const h = harness(linkedStore(), {}, async (path) => (path === '/snapshots/a.jpg' ? jpeg : null));
    await h.session.connect();
    await settle();
    h.latest().open();
    await settle();
    const sends = [h.session.send({ ...request(1, GROUP), imagePath: '/snapshots/a.jpg' }), h.session.send({ ...request(2), imagePath: '/snapshots/gone.jpg' })];
    await h.clock.advance(20_000);
    await Promise.all(sends);
    const [withImage, textOnly] = h.latest().sent;
    expect(withImage).toMatchObject({ jid: GROUP, content: { image: jpeg, caption: request(1).text, mimetype: 'image/jpeg' } });
    expect(textOnly).toMatchObject({ jid: PERSON, content: { text: request(2).text, linkPreview: null } });
  });

  it('a send cancelled while it waits in the queue never reaches WhatsApp', async () => {
    const h = await connected();
    const first = h.session.send(request(1));
    const abort = new AbortController();
    const second = h.session.send(request(2), abort.signal);
    abort.abort();
    await h.clock.advance(20_000);
    expect(await first).toMatchObject({ ok: true });
    expect(await second).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_SEND_CANCELLED' });
    expect(h.latest().sent).toHaveLength(1);
  });

  it('the same alert to the same person always gets the same message id; another person another', () => {
    const a = messageIdFor('alert-7', PERSON);
    expect(a).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(messageIdFor('alert-7', PERSON)).toBe(a);
    expect(messageIdFor('alert-7', GROUP)).not.toBe(a);
    expect(messageIdFor('alert-8', PERSON)).not.toBe(a);
  });

  it('returns the provider id WhatsApp accepted, and delivered when the receipt comes within the ack window', async () => {
    const h = await connected();
    const socket = h.latest();
    socket.onSend = async (message) => {
      const id = message.options!.messageId!;
      setImmediate(() => socket.emit('messages.update', [{ key: { remoteJid: message.jid, fromMe: true, id }, update: { status: 3 } }]));
      return { key: { remoteJid: message.jid, fromMe: true, id }, message: {} };
    };
    const outcome: Promise<SendOutcome> = h.session.send(request(1));
    await h.clock.advance(1000);
    expect(await outcome).toEqual({ ok: true, delivered: true, providerId: messageIdFor('alert-1', PERSON) });
  });
});
