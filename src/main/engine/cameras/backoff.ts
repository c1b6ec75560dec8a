// Restart delays for a camera process. Exponential so that a dead camera does not cost a
// process spawn every second, jittered so that 36 cameras behind one failed switch do not
// all reconnect in the same instant when it comes back.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay added or removed at random (0.2 = +/-20 %). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

/** Delay before restart number `attempt` (0 = first restart). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30));
  const capped = Math.min(policy.maxMs, exponential);
  const spread = capped * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(capped + spread));
}
