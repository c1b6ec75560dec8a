// The outbox's state machine, pure: which moves a row may make, and what a channel's answer
// turns a `sending` row into. The repository applies these moves with the `from` state in
// its WHERE clause, so two writers can never both move the same row.
import type { DeliveryState } from '../../../shared/alerts';
import type { AlertReason } from '../../../shared/reasons';
import { backoffDelay, type BackoffPolicy } from '../cameras/backoff';
import type { SendOutcome } from './channel';

/**
 * queued -> sending (a dispatcher claimed it) -> sent | delivered | queued (retry) | failed;
 * sent -> delivered (a receipt); queued -> expired (too late to be useful); sending -> queued
 * (the engine crashed mid-send: the receiver drops the repeat by its idempotency key);
 * failed | expired -> queued (an operator's retry). suppressed never moves.
 */
export const OUTBOX_MOVES: Readonly<Record<DeliveryState, readonly DeliveryState[]>> = {
  queued: ['sending', 'expired'],
  sending: ['sent', 'delivered', 'queued', 'failed'],
  sent: ['delivered'],
  delivered: [],
  failed: ['queued'],
  expired: ['queued'],
  suppressed: [],
};

export function canMove(from: DeliveryState, to: DeliveryState): boolean {
  return OUTBOX_MOVES[from].includes(to);
}

/** Retries: 2 s doubling to 5 min, +-25 % so that rows failed together do not retry together. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 2000, maxMs: 5 * 60_000, jitter: 0.25 };
/** An alert not sent within this time expires: "someone at the gate" an hour late misleads. */
export const ALERT_TTL_MS = 30 * 60_000;
/** A Retry-After longer than this is not honoured as such (the alert would expire anyway). */
const MAX_RETRY_AFTER_MS = ALERT_TTL_MS;

/** The delay before attempt `attempts + 1`, after `attempts` failed ones (1 = the first failed). */
export function retryDelay(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.min(MAX_RETRY_AFTER_MS, Math.max(1000, Math.round(retryAfterMs)));
  return backoffDelay(Math.max(0, attempts - 1), OUTBOX_BACKOFF, random);
}

export type SendResult =
  | { state: 'sent' | 'delivered'; providerId: string | null }
  | { state: 'queued'; nextAttemptAt: number; reason: AlertReason; message: string }
  | { state: 'failed'; reason: AlertReason; message: string };

/** What a `sending` row becomes after the channel's answer to attempt number `attempts`. */
export function afterSend(outcome: SendOutcome, attempts: number, now: number, random: () => number = Math.random): SendResult {
  if (outcome.ok) return { state: outcome.delivered ? 'delivered' : 'sent', providerId: outcome.providerId ?? null };
  if (!outcome.retry) return { state: 'failed', reason: outcome.reason, message: outcome.message };
  return { state: 'queued', nextAttemptAt: now + retryDelay(attempts, outcome.retryAfterMs, random), reason: outcome.reason, message: outcome.message };
}
