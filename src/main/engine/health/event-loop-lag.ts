// The engine's main thread moves bytes for every camera; if it lags, every tile stutters.
// Measured continuously so health and the ingest benchmark can report it.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

export class EventLoopLag {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor() {
    this.histogram.enable();
  }

  /**
   * Milliseconds of delay beyond the sampling timer's own period (the histogram records the
   * whole period, so an idle loop would otherwise read as 10 ms of lag).
   */
  snapshot(): { p50: number; p99: number; max: number } {
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    return { p50: ms(this.histogram.percentile(50)), p99: ms(this.histogram.percentile(99)), max: ms(this.histogram.max) };
  }

  reset(): void {
    this.histogram.reset();
  }

  stop(): void {
    this.histogram.disable();
  }
}
