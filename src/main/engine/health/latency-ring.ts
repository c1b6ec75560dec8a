/** The last `capacity` latency samples, for percentiles without unbounded memory. */
export class LatencyRing {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  summary(): { p50: number; p95: number; count: number } {
    if (this.count === 0) return { p50: 0, p95: 0, count: 0 };
    const sorted = this.samples.slice(0, this.count).sort();
    // Nearest rank: the smallest sample with at least p of them at or below it.
    const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * this.count) - 1)] ?? 0;
    return { p50: rank(0.5), p95: rank(0.95), count: this.count };
  }
}
