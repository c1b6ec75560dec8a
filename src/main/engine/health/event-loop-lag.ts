// The engine's main thread moves bytes for every camera; if it lags, every tile stutters.
// Measured continuously so health and the ingest benchmark can report it.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

/** Health shows the last full window, so a slow start-up is not reported for ever. */
const WINDOW_MS = 30_000;

type LagFigures = { p50: number; p99: number; max: number };

export class EventLoopLag {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private lastWindow: LagFigures | null = null;
  private readonly rotation: NodeJS.Timeout;

  constructor(windowMs = WINDOW_MS) {
    this.histogram.enable();
    this.rotation = setInterval(() => {
      this.lastWindow = this.measure();
      this.histogram.reset();
    }, windowMs);
    this.rotation.unref();
  }

  /** The last complete window, or the time since start when none has completed yet. */
  snapshot(): LagFigures {
    return this.lastWindow ?? this.measure();
  }

  /**
   * Milliseconds of delay beyond the sampling timer's own period (the histogram records the
   * whole period, so an idle loop would otherwise read as 10 ms of lag).
   */
  measure(): LagFigures {
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    return { p50: ms(this.histogram.percentile(50)), p99: ms(this.histogram.percentile(99)), max: ms(this.histogram.max) };
  }

  reset(): void {
    this.histogram.reset();
  }

  stop(): void {
    clearInterval(this.rotation);
    this.histogram.disable();
  }
}
