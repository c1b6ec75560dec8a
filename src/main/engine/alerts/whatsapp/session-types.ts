// The session's settings and what it reports to whoever runs it (the worker relays it all to
// the engine over IPC).
import type { ChannelStatus } from '../../../../shared/alerts';
import { ALERT_REASONS } from '../../../../shared/reasons';
import type { BackoffPolicy } from '../../cameras/backoff';
import type { ReplyIn } from './inbound';
import type { SendSpacing } from './send-queue';

export type SessionStatus = Omit<ChannelStatus, 'kind' | 'since' | 'linkedAs' | 'qr' | 'pairingCode'> & {
  linkedAs: string | null;
  qr: string | null;
  pairingCode: string | null;
};

export type SessionEvent =
  | { type: 'status'; status: SessionStatus }
  | { type: 'delivered'; providerId: string; at: number }
  | { type: 'reply'; reply: ReplyIn }
  | { type: 'log'; line: string };

export type LinkRequest = { method: 'qr' } | { method: 'pairing-code'; phone: string };

export interface SessionConfig {
  spacing: SendSpacing;
  /** How long a send waits for WhatsApp's error ack (463 comes only that way); inside the spacing, so it costs no throughput. */
  ackWindowMs: number;
  /** Reconnects after network trouble (408, 428, 500, 503, ...). */
  backoff: BackoffPolicy;
  /** A link not confirmed on the phone within this time is abandoned. */
  linkTimeoutMs: number;
  /** 515 restarts in a row before they, too, wait with backoff. */
  maxImmediateRestarts: number;
  /** Pause after a 429/463 when WhatsApp does not say for how long. */
  restrictionMs: number;
}

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  spacing: { gapMs: 4000, jitterMs: 2000 },
  ackWindowMs: 1500,
  backoff: { baseMs: 2000, maxMs: 120_000, jitter: 0.3 },
  linkTimeoutMs: 5 * 60_000,
  maxImmediateRestarts: 3,
  restrictionMs: 10 * 60_000,
};

export const NOT_LINKED: SessionStatus = { state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED', message: ALERT_REASONS.WHATSAPP_NOT_LINKED, linkedAs: null, qr: null, pairingCode: null };
