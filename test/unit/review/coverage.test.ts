// Coverage from start times plus the few end times it needs: the same spans as merging every
// whole segment, with end times looked up only around gaps.
import { describe, expect, it } from 'vitest';
import { coverageTolerance, mergeCoverage, MIN_COVERAGE_TOLERANCE_MS, type CoverageSpan } from '../../../src/main/engine/review/coverage';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

interface Seg {
  id: number;
  start: number;
  end: number;
}

/** The plain rule (SegmentsRepo.coverage): every segment whole, merged when within the tolerance. */
function wholeRows(segments: Seg[], from: number, to: number, tolerance: number): CoverageSpan[] {
  const merged: CoverageSpan[] = [];
  for (const s of segments) {
    const startMs = Math.max(s.start, from);
    const endMs = Math.min(s.end, to);
    if (endMs <= startMs) continue;
    const last = merged.at(-1);
    if (last && startMs <= last.endMs + tolerance) last.endMs = Math.max(last.endMs, endMs);
    else merged.push({ startMs, endMs });
  }
  return merged;
}

function run(segments: Seg[], from: number, to: number, tolerance: number): { spans: CoverageSpan[]; lookups: number } {
  // The walk starts at the first segment reaching into the range (review-store.ts finds it).
  const reaching = segments.filter((s) => s.end > from && s.start < to);
  const ends = new Map<number, number>();
  for (const s of reaching) ends.set(s.start, Math.max(ends.get(s.start) ?? Number.NEGATIVE_INFINITY, s.end));
  let lookups = 0;
  const endAt = (start: number) => {
    lookups++;
    return ends.get(start)!;
  };
  const spans = mergeCoverage(
    reaching.map((s) => s.start),
    endAt,
    from,
    to,
    tolerance,
  );
  return { spans, lookups };
}

/** A camera recording 10 s segments (reported a few ms apart) with the given outages. */
function recording(from: number, to: number, outages: [number, number][] = [], crashes: number[] = []): Seg[] {
  const segments: Seg[] = [];
  let id = 1;
  for (let t = from; t < to; t += 10_000) {
    if (outages.some(([a, b]) => t + 10_000 > a && t < b)) continue;
    // A crash: the segment ends at its last fragment, 4 s in; FFmpeg is back 3 s later.
    const end = crashes.includes(t) ? t + 4_000 : t + 10_000 + (id % 7);
    segments.push({ id: id++, start: t + (id % 5), end });
  }
  return segments;
}

describe('coverageTolerance', () => {
  it('is a quarter of a bucket, never under a second', () => {
    expect(coverageTolerance(18_000)).toBe(4_500);
    expect(coverageTolerance(432_000)).toBe(108_000);
    expect(coverageTolerance(100)).toBe(MIN_COVERAGE_TOLERANCE_MS);
  });
});

describe('mergeCoverage', () => {
  it('is exact at an hour view (tolerance under a segment): a crash gap of 6 s shows', () => {
    const from = T0;
    const to = T0 + 60 * MIN;
    const segments = recording(from - 5 * MIN, to + 5 * MIN, [[T0 + 20 * MIN, T0 + 27 * MIN]], [T0 + 40 * MIN]);
    const tolerance = coverageTolerance(18_000);
    const { spans } = run(segments, from, to, tolerance);
    expect(spans).toEqual(wholeRows(segments, from, to, tolerance));
    expect(spans).toHaveLength(3);
    expect(spans[1]!.endMs).toBe(T0 + 40 * MIN + 4_000);
  });

  it('at a day view reads end times only at real gaps, and gives the same spans as whole rows', () => {
    const from = T0;
    const to = T0 + 24 * 60 * MIN;
    const segments = recording(from - 10 * MIN, to + 10 * MIN, [
      [T0 + 3 * 60 * MIN, T0 + 3 * 60 * MIN + 17 * MIN],
      [T0 + 15 * 60 * MIN, T0 + 15 * 60 * MIN + 9 * MIN],
    ]);
    const tolerance = coverageTolerance(432_000);
    const { spans, lookups } = run(segments, from, to, tolerance);
    expect(spans).toEqual(wholeRows(segments, from, to, tolerance));
    expect(spans).toHaveLength(3);
    expect(spans[0]!.startMs).toBe(from);
    expect(spans.at(-1)!.endMs).toBe(to);
    // Two outages and the last segment, out of ~8,640 segments.
    expect(lookups).toBe(3);
  });

  it('merges a crash gap shorter than the tolerance, as whole rows would', () => {
    const segments = recording(T0, T0 + 60 * MIN, [], [T0 + 30 * MIN]);
    const { spans } = run(segments, T0, T0 + 60 * MIN, 108_000);
    expect(spans).toEqual(wholeRows(segments, T0, T0 + 60 * MIN, 108_000));
    expect(spans).toHaveLength(1);
  });

  it('drops segments that end before the range and clips those reaching past it', () => {
    const segments: Seg[] = [
      { id: 1, start: T0 - 9 * MIN, end: T0 - 8 * MIN },
      { id: 2, start: T0 - 5_000, end: T0 + 5_000 },
      { id: 3, start: T0 + 50_000, end: T0 + 70_000 },
    ];
    for (const tolerance of [1_000, 30_000, 600_000]) expect(run(segments, T0, T0 + MIN, tolerance).spans).toEqual(wholeRows(segments, T0, T0 + MIN, tolerance));
    expect(run(segments, T0, T0 + MIN, 1_000).spans).toEqual([
      { startMs: T0, endMs: T0 + 5_000 },
      { startMs: T0 + 50_000, endMs: T0 + MIN },
    ]);
    expect(run([], T0, T0 + MIN, 1_000)).toEqual({ spans: [], lookups: 0 });
    expect(run([segments[1]!], T0, T0 + MIN, 1_000)).toEqual({ spans: [{ startMs: T0, endMs: T0 + 5_000 }], lookups: 1 });
  });

  it('matches whole rows on random recordings at every zoom', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 30; trial++) {
      const segments: Seg[] = [];
      let t = T0 - 15 * MIN;
      for (let id = 1; t < T0 + 3 * 60 * MIN; id++) {
        const length = random() < 0.05 ? 1_000 + random() * 9_000 : 10_000 + random() * 2_000;
        segments.push({ id, start: Math.round(t), end: Math.round(t + length) });
        t += length + (random() < 0.05 ? random() * 10 * MIN : random() * 8);
      }
      const from = T0 + Math.round(random() * 60 * MIN);
      const to = from + Math.round(random() * 120 * MIN) + 1;
      for (const buckets of [2000, 200, 20]) {
        const tolerance = coverageTolerance(Math.ceil((to - from) / buckets));
        expect(run(segments, from, to, tolerance).spans).toEqual(wholeRows(segments, from, to, tolerance));
      }
    }
  });
});
