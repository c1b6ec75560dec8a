// Sending, as far as it does not need the socket: the message id an alert gets, what a
// failed send means for the outbox (retry or not), and waiting briefly for WhatsApp's
// verdict on a message it accepted (restricted numbers are refused only in the ack: 463).
import { createHash } from 'node:crypto';
import type { SendOutcome } from '../channel';
import { ALERT_REASONS } from '../../../../shared/reasons';
import { BoundedCache } from './bounded-cache';
import type { Clock } from './clock';
import { statusCodeOf, whatsappErrorCode } from './disconnect-policy';

/**
 * The same alert to the same person always gets the same message id (in the form WhatsApp
 * Web uses: 3EB0 + 18 hex digits). If the engine dies between sending and recording the
 * send, the retry reuses the id and the phone shows the message once (best effort: it is
 * WhatsApp's clients that drop repeated ids).
 */
export function messageIdFor(idempotencyKey: string, jid: string): string {
  return `3EB0${createHash('sha256').update(idempotencyKey).update('\0').update(jid).digest('hex').slice(0, 18).toUpperCase()}`;
}

/** WhatsApp's rate limit (429) and reach-out timelock (463): retrying makes the restriction worse. */
export const RATE_LIMIT_CODES = new Set([429, 463]);

type Failure = Extract<SendOutcome, { ok: false }>;

export function rateLimited(detail: string): Failure {
  return { ok: false, retry: false, reason: 'WHATSAPP_RATE_LIMITED', message: `${ALERT_REASONS.WHATSAPP_RATE_LIMITED} (${detail})` };
}

/** A send that threw: connection trouble is retried by the outbox, a refusal never. */
export function sendFailure(error: unknown): Failure {
  const code = whatsappErrorCode(error) ?? statusCodeOf(error);
  const text = (error as Error)?.message ?? String(error);
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return rateLimited(`WhatsApp error ${code}`);
  const connection = code === 408 || code === 428 || code === 440 || code === 503 || code === 515 || /connection (closed|lost|terminated)|timed? ?out/i.test(text);
  if (connection) return { ok: false, retry: true, reason: 'WHATSAPP_DISCONNECTED', message: `${ALERT_REASONS.WHATSAPP_DISCONNECTED} (${text})` };
  // WhatsApp refused this message (bad address, not allowed): the same message would be refused again.
  const refused = code !== undefined && code >= 400 && code < 500;
  return { ok: false, retry: !refused, reason: 'WHATSAPP_SEND_FAILED', message: `${ALERT_REASONS.WHATSAPP_SEND_FAILED} (${code ?? 'no code'}: ${text})` };
}

export type AckResult = { kind: 'delivered' } | { kind: 'error'; code: string };

/** WhatsApp's later word on messages we sent: error acks and delivery receipts, by message id. */
export class AckBook {
  private readonly waiters = new Map<string, (result: AckResult | null) => void>();
  /** A verdict that arrives before anyone waits for it (a fast receipt) is kept a while. */
  private readonly recent: BoundedCache<AckResult>;

  constructor(private readonly clock: Clock) {
    this.recent = new BoundedCache<AckResult>({ maxEntries: 500, ttlMs: 5 * 60_000 }, clock);
  }

  settle(id: string, result: AckResult): void {
    if (this.recent.get(id)?.kind === 'error') return;
    this.recent.set(id, result);
    this.waiters.get(id)?.(result);
  }

  /** The verdict on `id` within `ms`, or null when WhatsApp said nothing in time. */
  wait(id: string, ms: number): Promise<AckResult | null> {
    const known = this.recent.get(id);
    if (known || ms <= 0) return Promise.resolve(known ?? null);
    return new Promise((resolve) => {
      const done = (result: AckResult | null) => {
        this.clock.clearTimeout(timer);
        this.waiters.delete(id);
        resolve(result);
      };
      const timer = this.clock.setTimeout(() => done(null), ms);
      this.waiters.set(id, done);
    });
  }

  /** The connection is gone: nobody hears more about messages sent on it. */
  releaseAll(): void {
    for (const done of [...this.waiters.values()]) done(null);
  }
}
