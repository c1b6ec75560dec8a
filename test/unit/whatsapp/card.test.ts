// What the WhatsApp card of the alert settings shows for each status (whatsapp-view.ts, which
// the card renders from), and the QR payload drawn as an image the CSP allows.
import { describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../../src/shared/alerts';
import { qrImageUrl } from '../../../src/renderer/features/alerts/whatsapp/useQrImage';
import { cardView, latestStatus, pairingCodeText, WHATSAPP_DISCLAIMER } from '../../../src/renderer/features/alerts/whatsapp/whatsapp-view';

const base: ChannelStatus = { kind: 'whatsapp', state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED', message: null, linkedAs: null, qr: null, pairingCode: null, since: 1000 };

describe('WhatsApp card', () => {
  it('unlinked: offers the linking form and nothing to unlink', () => {
    expect(cardView(base)).toEqual({ stateText: 'Not linked', linkedText: null, linking: false, showLinkForm: true, showReconnect: false, unlinkLabel: null, pairingCode: null });
  });

  it('linked and connected: the number and an unlink button', () => {
    expect(cardView({ ...base, state: 'ready', reason: null, linkedAs: '4915112345678' })).toEqual({
      stateText: 'Connected',
      linkedText: 'linked as +4915112345678',
      linking: false,
      showLinkForm: false,
      showReconnect: false,
      unlinkLabel: 'Unlink',
      pairingCode: null,
    });
  });

  it('while linking: the code, no form, and a way to cancel', () => {
    expect(cardView({ ...base, reason: null, pairingCode: 'K7M2Q9XA' })).toMatchObject({ linking: true, showLinkForm: false, unlinkLabel: 'Cancel linking', pairingCode: 'K7M2-Q9XA' });
    expect(cardView({ ...base, reason: null, qr: '2@ref' })).toMatchObject({ linking: true, showLinkForm: false });
    expect(cardView({ ...base, state: 'connecting', reason: 'WHATSAPP_DISCONNECTED' })).toMatchObject({ stateText: 'Connecting…', linking: true });
  });

  it('a linked number WhatsApp stopped can be reconnected; an expired link offers the form again', () => {
    expect(cardView({ ...base, state: 'disconnected', reason: 'WHATSAPP_CONNECTION_REPLACED', linkedAs: '4915112345678' })).toMatchObject({ stateText: 'Stopped', showReconnect: true, unlinkLabel: 'Unlink' });
    expect(cardView({ ...base, reason: 'WHATSAPP_LINK_EXPIRED' })).toMatchObject({ showLinkForm: true, linking: false });
  });

  it('states plainly what the integration is', () => {
    expect(WHATSAPP_DISCLAIMER).toMatch(/^Unofficial integration/);
    expect(WHATSAPP_DISCLAIMER).toMatch(/site's own WhatsApp number/);
    expect(WHATSAPP_DISCLAIMER).toMatch(/best effort/);
    expect(WHATSAPP_DISCLAIMER).toMatch(/never make WhatsApp the only channel for life-safety alarms/);
  });

  it('the QR payload becomes an SVG image in a data: URL', async () => {
    const url = await qrImageUrl('2@ref,noise,identity,adv,1');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<path');
    expect(await qrImageUrl('2@another-ref,noise,identity,adv,1')).not.toBe(url);
  });

  it('pairing codes are grouped as the phone shows them', () => {
    expect(pairingCodeText('k7m2q9xa')).toBe('K7M2-Q9XA');
    expect(pairingCodeText('ABC')).toBe('ABC');
  });

  it('the later change of state wins; with the same state, the status received last', () => {
    const older = { status: { ...base, since: 1000 }, at: 50 };
    const newer = { status: { ...base, state: 'connecting' as const, since: 2000 }, at: 10 };
    expect(latestStatus(older, newer)).toBe(newer.status);
    expect(latestStatus(newer, older)).toBe(newer.status);
    const renewedQr = { status: { ...base, qr: '2@second', since: 1000 }, at: 60 };
    expect(latestStatus(renewedQr, older)).toBe(renewedQr.status);
    expect(latestStatus(older, renewedQr)).toBe(renewedQr.status);
    expect(latestStatus(null, older)).toBe(older.status);
    expect(latestStatus(null, null)).toBeNull();
  });
});
