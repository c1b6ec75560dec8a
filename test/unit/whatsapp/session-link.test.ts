// Linking a device: the QR payload or the pairing code reaches the status, the phone's
// acceptance (pair-success + 515) leaves a stored, linked device, and an attempt nobody
// finishes expires and leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { settle } from './fake-clock';
import { emptyStore, harness, linkedStore } from './session-harness';

describe('WhatsApp session: linking', () => {
  it('without a stored link, connect() opens no socket and says the channel needs linking', async () => {
    const h = harness(emptyStore());
    await h.session.connect();
    await settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED' });
  });

  it('QR: shows each payload, then the phone accepts and the device is linked and stored', async () => {
    const h = harness(emptyStore());
    await h.session.link({ method: 'qr' });
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'connecting', qr: null });
    h.latest().qr('2@first-ref,noise,identity,adv,1');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: null, qr: '2@first-ref,noise,identity,adv,1', pairingCode: null });
    h.latest().qr('2@second-ref,noise,identity,adv,1');
    await settle();
    expect(h.session.status().qr).toBe('2@second-ref,noise,identity,adv,1');
    h.latest().pairSuccess('4917000000001:12@s.whatsapp.net');
    await settle();
    // The 515 after pair-success reconnects at once with the new credentials.
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets[1]!.auth.creds.me?.id).toBe('4917000000001:12@s.whatsapp.net');
    h.latest().open();
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'ready', linkedAs: '4917000000001', qr: null });
    expect(h.store.linkedAs()).toBe('4917000000001');
  });

  it('pairing code: asked for once the socket reaches the QR stage, shown instead of the QR', async () => {
    const h = harness(emptyStore());
    await h.session.link({ method: 'pairing-code', phone: '+49 170 0000001' });
    await settle();
    h.latest().qr('2@ref,noise,identity,adv,1');
    h.latest().qr('2@ref2,noise,identity,adv,1');
    await settle();
    expect(h.latest().pairingRequests).toEqual(['491700000001']);
    expect(h.session.status()).toMatchObject({ state: 'needs-link', pairingCode: 'K7M2Q9XA', qr: null });
    // Baileys writes `me` before the phone confirms: that is not yet a link.
    expect(h.store.linkedAs()).toBeNull();
    h.latest().pairSuccess('491700000001:3@s.whatsapp.net');
    await settle();
    h.latest().open();
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'ready', linkedAs: '491700000001', pairingCode: null });
  });

  it('a link nobody confirms expires (408 after the codes ran out) and leaves nothing stored', async () => {
    const h = harness(emptyStore());
    await h.session.link({ method: 'qr' });
    await settle();
    h.latest().qr('2@ref,noise,identity,adv,1');
    await settle();
    h.latest().close(408, 'QR refs attempts ended');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_LINK_EXPIRED', qr: null });
    expect(h.store.readCreds()).toBeNull();
    await h.clock.advance(3600_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('network trouble before any code was shown retries with backoff, until the link deadline', async () => {
    const h = harness(emptyStore(), { linkTimeoutMs: 60_000 });
    await h.session.link({ method: 'qr' });
    await settle();
    h.latest().close(408, 'WebSocket Error (connect ECONNREFUSED 127.0.0.1:9)');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'connecting', reason: 'WHATSAPP_DISCONNECTED' });
    await h.clock.advance(2000);
    expect(h.sockets).toHaveLength(2);
    await h.clock.advance(60_000);
    h.latest().close(408, 'WebSocket Error (connect ECONNREFUSED 127.0.0.1:9)');
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_LINK_EXPIRED' });
  });

  it('a stale version while linking says so, and does not loop', async () => {
    const h = harness(emptyStore());
    await h.session.link({ method: 'qr' });
    await settle();
    h.latest().close(405);
    await settle();
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_STALE_VERSION' });
    await h.clock.advance(3600_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('link() on a linked number only reconnects it; it never replaces the stored link', async () => {
    const store = linkedStore();
    const h = harness(store);
    await h.session.link({ method: 'qr' });
    await settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.sockets[0]!.auth.creds.me?.id).toBe('4915112345678:7@s.whatsapp.net');
    expect(h.wipes).toBe(0);
  });

  it('unlink: logs the device out, wipes the link, and stays off', async () => {
    const h = harness(linkedStore());
    await h.session.connect();
    await settle();
    h.latest().open();
    await settle();
    await h.session.unlink();
    await settle();
    expect(h.sockets[0]!.loggedOut).toBe(true);
    expect(h.session.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED', linkedAs: null });
    expect(h.store.readCreds()).toBeNull();
    await h.clock.advance(3600_000);
    expect(h.sockets).toHaveLength(1);
  });
});
