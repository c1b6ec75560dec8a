/** Reconnect delay: 0.5 s doubling to a cap, with +-20 % jitter so tiles do not reconnect in lockstep. */
export function backoffDelay(attempt: number, opts: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const raw = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
