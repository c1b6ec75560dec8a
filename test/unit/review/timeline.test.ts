// Timeline assembly: buckets over [from, to), tracks counted in every bucket they touch, per
// label, and the answer's shape.
import { describe, expect, it } from 'vitest';
import { assembleTimeline, bucketWidth, densityOf, type TrackSpan } from '../../../src/main/engine/review/timeline';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

/** Counting the slow way: every track against every bucket. */
function bruteForce(tracks: TrackSpan[], from: number, to: number, bucketMs: number): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  for (let at = from; at < to; at += bucketMs) {
    const end = Math.min(at + bucketMs, to);
    const byLabel: Record<string, number> = {};
    for (const [label, first, last] of tracks) if (first < end && last >= at) byLabel[label] = (byLabel[label] ?? 0) + 1;
    out.push(byLabel);
  }
  return out;
}

describe('bucketWidth', () => {
  it('splits the range into at most the asked number of whole-ms buckets', () => {
    expect(bucketWidth(0, 3_600_000, 200)).toBe(18_000);
    expect(bucketWidth(0, 1000, 3)).toBe(334);
    expect(Math.ceil(1000 / bucketWidth(0, 1000, 3))).toBe(3);
    // Never zero, even when more buckets than milliseconds are asked for.
    expect(bucketWidth(0, 5, 2000)).toBe(1);
  });
});

describe('densityOf', () => {
  it('counts a track in every bucket it overlaps, by label', () => {
    const from = T0;
    const to = T0 + 10 * MIN;
    const tracks: TrackSpan[] = [
      ['person', T0 + 30_000, T0 + 50_000], // bucket 0 only
      ['person', T0 + 50_000, T0 + 3 * MIN + 1], // buckets 0..3
      ['car', T0 - 5 * MIN, T0 + MIN], // started before the range: buckets 0..1 (touches 1 at its start)
      ['car', T0 + 9 * MIN + 59_999, T0 + 20 * MIN], // the last ms of the range: bucket 9
    ];
    const { bucketMs, density } = densityOf(tracks, from, to, 10);
    expect(bucketMs).toBe(MIN);
    expect(density).toHaveLength(10);
    expect(density.map((b) => b.at)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * MIN));
    expect(density[0]).toEqual({ at: T0, count: 3, byLabel: { person: 2, car: 1 } });
    expect(density[1]).toEqual({ at: T0 + MIN, count: 2, byLabel: { person: 1, car: 1 } });
    expect(density[3]).toEqual({ at: T0 + 3 * MIN, count: 1, byLabel: { person: 1 } });
    expect(density[4]).toEqual({ at: T0 + 4 * MIN, count: 0, byLabel: {} });
    expect(density[9]).toEqual({ at: T0 + 9 * MIN, count: 1, byLabel: { car: 1 } });
  });

  it('ignores tracks outside the range and ones that end before they start', () => {
    const tracks: TrackSpan[] = [
      ['person', T0 - 2 * MIN, T0 - 1],
      ['person', T0 + 10 * MIN, T0 + 11 * MIN],
      ['person', T0 + 5 * MIN, T0 + 4 * MIN],
    ];
    const { density } = densityOf(tracks, T0, T0 + 10 * MIN, 5);
    expect(density.every((b) => b.count === 0)).toBe(true);
  });

  it('matches counting track by track on random data, with a bucket width that does not divide the range', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const labels = ['person', 'car', 'bicycle'];
    const from = T0;
    const to = T0 + 3_600_000 + 17;
    const tracks: TrackSpan[] = Array.from({ length: 500 }, () => {
      const first = from - 20 * MIN + Math.floor(random() * 90 * MIN);
      return [labels[Math.floor(random() * 3)]!, first, first + Math.floor(random() * (random() < 0.1 ? 60 : 2) * MIN)] as const;
    });
    const { bucketMs, density } = densityOf(tracks, from, to, 37);
    expect(density.length).toBeLessThanOrEqual(37);
    expect(density.at(-1)!.at).toBeLessThan(to);
    expect(density.at(-1)!.at + bucketMs).toBeGreaterThanOrEqual(to);
    const expected = bruteForce(tracks, from, to, bucketMs);
    expect(density.map((b) => b.byLabel)).toEqual(expected);
    density.forEach((b) => expect(b.count).toBe(Object.values(b.byLabel).reduce((a, n) => a + n, 0)));
  });

  it('stays linear for day-long tracks over many buckets', () => {
    const tracks: TrackSpan[] = Array.from({ length: 2000 }, (_, i) => ['car', T0 - i, T0 + 7 * 24 * 60 * MIN] as const);
    const { density } = densityOf(tracks, T0, T0 + 7 * 24 * 60 * MIN, 2000);
    expect(density).toHaveLength(2000);
    expect(density.every((b) => b.count === 2000 && b.byLabel.car === 2000)).toBe(true);
  });
});

describe('assembleTimeline', () => {
  it('returns the range, bucket width, coverage spans, incidents and density', () => {
    const incident = { id: 'i1', ruleName: 'Gate', type: 'presence', severity: 'high' as const, state: 'new', startedAt: T0 + MIN, endedAt: null, label: 'person' };
    const timeline = assembleTimeline({
      cameraId: 'cam-1',
      from: T0,
      to: T0 + 4 * MIN,
      buckets: 4,
      coverage: [
        { startMs: T0, endMs: T0 + MIN },
        { startMs: T0 + 2 * MIN, endMs: T0 + 4 * MIN },
      ],
      incidents: [incident],
      tracks: [['person', T0 + 10, T0 + 20]],
    });
    expect(timeline).toEqual({
      cameraId: 'cam-1',
      from: T0,
      to: T0 + 4 * MIN,
      bucketMs: MIN,
      coverage: [
        { from: T0, to: T0 + MIN },
        { from: T0 + 2 * MIN, to: T0 + 4 * MIN },
      ],
      incidents: [incident],
      density: [
        { at: T0, count: 1, byLabel: { person: 1 } },
        { at: T0 + MIN, count: 0, byLabel: {} },
        { at: T0 + 2 * MIN, count: 0, byLabel: {} },
        { at: T0 + 3 * MIN, count: 0, byLabel: {} },
      ],
    });
  });
});
