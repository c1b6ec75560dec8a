// One send at a time per channel, a few seconds plus jitter apart. WhatsApp flags numbers
// that send in machine-regular bursts; an alert storm must come out as a steady trickle
// (the outbox keeps the rest, and the digest folds bursts), never as fifty messages in a second.
import type { Clock } from './clock';
import { sleep } from './clock';

export interface SendSpacing {
  /** Pause after each send before the next starts. */
  gapMs: number;
  /** Up to this much more, at random. */
  jitterMs: number;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  /** When the last send finished; the next waits for the gap after it. */
  private lastEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly spacing: SendSpacing,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** Sends waiting for their turn (not counting the one running). */
  get length(): number {
    return this.waiting;
  }

  /**
   * Runs `task` after every earlier one and the pause after it. A task whose signal is
   * aborted while it waits is skipped (`skipped` answers for it) and costs no pause.
   */
  run<T>(task: () => Promise<T>, skipped: () => T, signal?: AbortSignal): Promise<T> {
    this.waiting++;
    const result = this.tail.then(async () => {
      this.waiting--;
      if (signal?.aborted) return skipped();
      const pause = this.lastEnd + this.spacing.gapMs + Math.round(this.random() * this.spacing.jitterMs) - this.clock.now();
      if (pause > 0) await sleep(this.clock, pause);
      if (signal?.aborted) return skipped();
      try {
        return await task();
      } finally {
        this.lastEnd = this.clock.now();
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
