// The WhatsApp channel in the alert settings: its state in words, the linked number, and
// linking by QR code or pairing code. The status comes from the alerts panel; while a link
// is under way the card also asks the engine itself, so the QR code (which WhatsApp renews
// every 20 s) never goes stale on screen.
import { useEffect, useMemo, useState } from 'react';
import type { ChannelStatus } from '../../../../shared/alerts';
import { normalizeWhatsAppAddress } from '../../../../shared/whatsapp';
import type { ApiClient } from '../../../api/client';
import { ApiError, describeCode } from '../../../api/errors';
import { useQrImage } from './useQrImage';
import { cardView, latestStatus, WHATSAPP_DISCLAIMER, type Received } from './whatsapp-view';

export interface WhatsAppCardProps {
  client: ApiClient;
  status: ChannelStatus | null;
}

const POLL_MS = 2000;
const LINK_TIMEOUT_MS = 60_000;

export function WhatsAppCard({ client, status }: WhatsAppCardProps) {
  const [own, setOwn] = useState<Received | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [method, setMethod] = useState<'qr' | 'pairing-code'>('qr');
  const [phone, setPhone] = useState('');
  const fromPanel = useMemo<Received | null>(() => (status ? { status, at: Date.now() } : null), [status]);
  const shown = latestStatus(fromPanel, own);
  const view = cardView(shown);
  const qrImage = useQrImage(shown?.qr ?? null);

  useEffect(() => {
    if (!view.linking) return;
    let cancelled = false;
    const timer = setInterval(() => {
      client.request('GET /api/alerts/whatsapp', {}, undefined).then(
        (next) => !cancelled && setOwn({ status: next, at: Date.now() }),
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, view.linking]);

  async function act(work: () => Promise<ChannelStatus>) {
    setBusy(true);
    setError(null);
    try {
      setOwn({ status: await work(), at: Date.now() });
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError('INTERNAL', (err as Error).message);
      setError({ code: apiError.code, message: apiError.message });
    } finally {
      setBusy(false);
    }
  }

  const link = (request: { method: 'qr' } | { method: 'pairing-code'; phone: string }) => act(() => client.request('POST /api/alerts/whatsapp/link', {}, request, { timeoutMs: LINK_TIMEOUT_MS }));
  const unlink = () => {
    if (view.unlinkLabel === 'Unlink' && !window.confirm('Unlink WhatsApp? Alerts stop going out on WhatsApp until the number is linked again.')) return;
    void act(() => client.request('POST /api/alerts/whatsapp/unlink', {}, {}));
  };
  const phoneCheck = phone.trim() ? normalizeWhatsAppAddress(phone) : null;
  const reason = shown?.reason ?? null;

  return (
    <section className="whatsapp-card" data-testid="whatsapp-card" data-state={shown?.state ?? 'unknown'}>
      <div className="whatsapp-head">
        <h3>WhatsApp</h3>
        <span className={`whatsapp-state whatsapp-state-${shown?.state ?? 'unknown'}`} data-testid="whatsapp-state">
          {view.stateText}
        </span>
        {view.linkedText && (
          <span className="whatsapp-linked" data-testid="whatsapp-linked-as">
            {view.linkedText}
          </span>
        )}
      </div>
      {reason && (
        <p className="whatsapp-reason" data-testid="whatsapp-reason" data-code={reason}>
          <span className="reason-code">{reason}</span> {shown?.message ?? describeCode(reason)}
        </p>
      )}
      {shown?.qr && (
        <figure className="whatsapp-qr" data-testid="whatsapp-qr">
          {qrImage ? <img src={qrImage} alt="QR code to link WhatsApp" width={232} height={232} /> : <div className="whatsapp-qr-wait">Drawing the QR code…</div>}
          <figcaption>On the site's phone: WhatsApp → Settings → Linked devices → Link a device, then scan this code.</figcaption>
        </figure>
      )}
      {view.pairingCode && (
        <div className="whatsapp-pairing" data-testid="whatsapp-pairing-code">
          <code>{view.pairingCode}</code>
          <p>On the site's phone: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type this code.</p>
        </div>
      )}
      {view.showLinkForm && (
        <form
          className="whatsapp-link"
          onSubmit={(event) => {
            event.preventDefault();
            void link(method === 'qr' ? { method: 'qr' } : { method: 'pairing-code', phone });
          }}
        >
          <label>
            <input type="radio" name="whatsapp-method" data-testid="whatsapp-method-qr" checked={method === 'qr'} onChange={() => setMethod('qr')} /> QR code
          </label>
          <label>
            <input type="radio" name="whatsapp-method" data-testid="whatsapp-method-code" checked={method === 'pairing-code'} onChange={() => setMethod('pairing-code')} /> Pairing code
          </label>
          {method === 'pairing-code' && (
            <input type="tel" data-testid="whatsapp-phone" placeholder="+49 171 1234567" value={phone} onChange={(event) => setPhone(event.target.value)} aria-invalid={phoneCheck ? !phoneCheck.ok : undefined} />
          )}
          <button type="submit" className="primary" data-testid="whatsapp-link" disabled={busy || (method === 'pairing-code' && !phoneCheck?.ok)}>
            {method === 'qr' ? 'Show QR code' : 'Get pairing code'}
          </button>
          {method === 'pairing-code' && phoneCheck && !phoneCheck.ok && <div className="whatsapp-hint">{phoneCheck.message}</div>}
        </form>
      )}
      {(view.showReconnect || view.unlinkLabel) && (
        <div className="whatsapp-actions">
          {view.showReconnect && (
            <button type="button" data-testid="whatsapp-reconnect" disabled={busy} onClick={() => void link({ method: 'qr' })}>
              Reconnect
            </button>
          )}
          {view.unlinkLabel && (
            <button type="button" className="danger" data-testid="whatsapp-unlink" disabled={busy} onClick={unlink}>
              {view.unlinkLabel}
            </button>
          )}
        </div>
      )}
      {error && (
        <div className="form-error" data-testid="whatsapp-error" data-code={error.code} role="alert">
          <span className="reason-code">{error.code}</span> {describeCode(error.code)}
          {error.message !== describeCode(error.code) && <div className="reason-detail">{error.message}</div>}
        </div>
      )}
      <p className="whatsapp-disclaimer" data-testid="whatsapp-disclaimer">
        {WHATSAPP_DISCLAIMER}
      </p>
    </section>
  );
}
