// Channel states: WhatsApp's own card (linking, QR, pairing code; built with its channel) and
// one small card per other channel, live from `alert.channel` events.
import type { ChannelKind, ChannelStatus } from '../../../shared/alerts';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { CHANNEL_LABELS } from './format';
import { WhatsAppCard } from './whatsapp/WhatsAppCard';

const STATE_WORDS: Record<ChannelStatus['state'], string> = {
  ready: 'Ready',
  connecting: 'Connecting…',
  'needs-link': 'Not linked',
  disconnected: 'Disconnected',
  disabled: 'Off',
};

const WHAT: Partial<Record<ChannelKind, string>> = {
  webhook: 'HTTP POST of each alert as JSON to the webhook recipients, with an Idempotency-Key header; retried with backoff.',
  desktop: 'A banner over Vigil in every window and browser, and a notification with sound on the desktop app.',
};

export function ChannelCards({ client, channels }: { client: ApiClient; channels: readonly ChannelStatus[] }) {
  const whatsapp = channels.find((c) => c.kind === 'whatsapp') ?? null;
  const others = channels.filter((c) => c.kind !== 'whatsapp').sort((a, b) => a.kind.localeCompare(b.kind));
  return (
    <div className="alerts-channels" data-testid="alerts-channels">
      <WhatsAppCard client={client} status={whatsapp} />
      {others.map((status) => (
        <section key={status.kind} className="alerts-channel" data-testid={`alerts-channel-${status.kind}`} data-state={status.state}>
          <div className="alerts-channel-head">
            <h3>{CHANNEL_LABELS[status.kind]}</h3>
            <span className={`alerts-channel-state state-${status.state}`}>{STATE_WORDS[status.state]}</span>
          </div>
          <p className="muted">{WHAT[status.kind]}</p>
          {status.reason && (
            <p className="form-error" data-code={status.reason}>
              <span className="reason-code">{status.reason}</span> {status.message ?? describeCode(status.reason)}
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
