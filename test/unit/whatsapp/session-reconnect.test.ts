// Each disconnect reason WhatsApp gives (Boom status codes, as Baileys reports them) leads
// to its own state and reconnect behaviour: a fake socket on Baileys' event buffer, a fake clock.
import { describe, expect, it } from 'vitest';
import { settle } from './fake-clock';
import { connected } from './session-harness';

const HOUR = 3600_000;

describe('WhatsApp session: what each disconnect reason does', () => {
  it('515 restart required: reconnects at once with the same link', async () => {
    const h = await connected();
    h.latest().close(515, 'Stream Errored (restart required)');
    await settle();
    expect(h.sockets).toHaveLength(2);
    expect(h.session.status()).toMatchObject({ state: 'connecting', reason: null, linkedAs: '4915112345678' });
    expect(h.clock.pendingDelays()).toEqual([]);
    h.latest().open();
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'ready', reason: null, linkedAs: '4915112345678' });
    expect(h.store.linkedAs()).toBe('4915112345678');
  });

  it('515 again and again: after three immediate restarts it waits with backoff', async () => {
    const h = await connected();
    for (let i = 0; i < 3; i++) {
      h.latest().close(515);
      await settle();
    }
    expect(h.sockets).toHaveLength(4);
    h.latest().close(515);
    await settle();
    expect(h.sockets).toHaveLength(4);
    expect(h.session.status()).toMatchObject({ state: 'connecting', reason: 'WHATSAPP_DISCONNECTED' });
    await h.clock.advance(2000);
    expect(h.sockets).toHaveLength(5);
  });

  for (const code of [401, 403]) {
    it(`${code} logged out: wipes the stored link, asks for a new one, never reconnects`, async () => {
      const h = await connected();
      h.latest().close(code, code === 401 ? 'Intentional Logout' : 'Forbidden');
      await settle();
      expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_LOGGED_OUT', linkedAs: null, qr: null });
      expect(h.wipes).toBe(1);
      expect(h.store.readCreds()).toBeNull();
      expect(h.store.linkedAs()).toBeNull();
      await h.clock.advance(HOUR);
      expect(h.sockets).toHaveLength(1);
    });
  }

  it('440 connection replaced: stops without a reconnect loop and keeps the link', async () => {
    const h = await connected();
    h.latest().close(440, 'Stream Errored (conflict)');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'disconnected', reason: 'WHATSAPP_CONNECTION_REPLACED', linkedAs: '4915112345678' });
    await h.clock.advance(HOUR);
    expect(h.sockets).toHaveLength(1);
    expect(h.store.linkedAs()).toBe('4915112345678');
    // The operator asks to reconnect (after stopping the other client): one new socket.
    await h.session.link({ method: 'qr' });
    await settle();
    expect(h.sockets).toHaveLength(2);
    expect(h.session.status().state).toBe('connecting');
  });

  it('405 stale version: stops, says to update, does not loop', async () => {
    const h = await connected();
    h.latest().close(405);
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'disconnected', reason: 'WHATSAPP_STALE_VERSION' });
    expect(h.session.status().message).toMatch(/update Vigil/);
    await h.clock.advance(HOUR);
    expect(h.sockets).toHaveLength(1);
    expect(h.store.linkedAs()).toBe('4915112345678');
  });

  for (const code of [428, 408, 500, 503]) {
    it(`${code}: reconnects with growing, capped backoff and keeps the link`, async () => {
      const h = await connected();
      const delays: number[] = [];
      for (let attempt = 0; attempt < 8; attempt++) {
        h.latest().close(code);
        await settle();
        expect(h.session.status()).toMatchObject({ state: 'connecting', reason: 'WHATSAPP_DISCONNECTED', linkedAs: '4915112345678' });
        const [delay] = h.clock.pendingDelays();
        delays.push(delay!);
        const before = h.sockets.length;
        await h.clock.advance(delay! - 1);
        expect(h.sockets).toHaveLength(before);
        await h.clock.advance(1);
        expect(h.sockets).toHaveLength(before + 1);
      }
      expect(delays).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
      // A connection that opens again resets the backoff.
      h.latest().open();
      await settle();
      expect(h.session.status()).toMatchObject({ state: 'ready', reason: null });
      h.latest().close(code);
      await settle();
      expect(h.clock.pendingDelays()).toEqual([2000]);
      expect(h.wipes).toBe(0);
    });
  }

  it('an unknown code is treated as network trouble (backoff), not as a logout', async () => {
    const h = await connected();
    h.latest().close(411, 'Multi-device beta not joined');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'connecting', reason: 'WHATSAPP_DISCONNECTED' });
    expect(h.wipes).toBe(0);
  });

  it('backoff delays are jittered within the policy', async () => {
    const { backoffDelay } = await import('../../../src/main/engine/cameras/backoff');
    const policy = { baseMs: 2000, maxMs: 60_000, jitter: 0.3 };
    expect(backoffDelay(0, policy, () => 0)).toBe(1400);
    expect(backoffDelay(0, policy, () => 1)).toBe(2600);
    expect(backoffDelay(20, policy, () => 1)).toBe(78000);
  });
});
