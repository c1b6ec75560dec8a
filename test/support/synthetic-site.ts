// What a synthetic site's day looks like, shared by the storage-day test and the review
// benchmark so both measure the same traffic: a seeded random source (mulberry32, so a run
// is repeatable), the mix of object labels, and how many tracks a busy camera sees an hour.

/** Labels and their shares of all tracks at a typical outdoor site. */
export const TRACK_LABELS: [string, number][] = [
  ['person', 0.7],
  ['car', 0.2],
  ['bicycle', 0.05],
  ['truck', 0.03],
  ['dog', 0.02],
];

/** Tracks a busy camera starts per hour: a working day, a quieter evening, a still night. */
export function tracksPerHour(hour: number): number {
  if (hour >= 7 && hour < 19) return 120;
  if (hour >= 19 && hour < 23) return 40;
  return 8;
}

export class Random {
  constructor(private seed: number) {}
  next(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.between(a, b));
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(Math.max(this.next(), 1e-12))) * Math.cos(2 * Math.PI * this.next());
  }
  pick(weights: [string, number][]): string {
    let r = this.next();
    for (const [value, weight] of weights) if ((r -= weight) < 0) return value;
    return weights[0]![0];
  }
}
