// Recording coverage from the segment index, reading as little of it as possible.
//
// A day of one camera is 8,640 segments, and 36 cameras write theirs interleaved, so each of
// a camera's rows sits on its own table page: reading every segment's end time costs one
// page read per segment, most of a day view's time (bench/review.ts). The start times,
// though, are in the (camera_id, start_ms) index, which SQLite reads without the table.
//
// A camera's segments follow one another (one FFmpeg writes them in sequence), so the gap
// after a segment is at most the distance between its start and the next one's. When that
// distance is within the tolerance the two are merged without knowing the end; only where
// starts lie further apart ("breaks"), and at the very end, is an end time looked up.
//
// The tolerance grows with the view: gaps shorter than a quarter of a density bucket cannot
// be seen in the chart, so a day or week view reads the index alone plus one lookup per real
// gap, while an hour view (4.5 s tolerance) looks every 10 s segment up and is exact to the
// second.

export interface CoverageSpan {
  startMs: number;
  endMs: number;
}

/** Gaps up to this are always merged: segments are reported a few ms apart, not exactly. */
export const MIN_COVERAGE_TOLERANCE_MS = 1000;

/** The gap the timeline ignores at this bucket width. */
export function coverageTolerance(bucketMs: number): number {
  return Math.max(MIN_COVERAGE_TOLERANCE_MS, Math.floor(bucketMs / 4));
}

/**
 * Merged recorded spans within [from, to): the same spans as clipping every segment to the
 * range and merging gaps up to `toleranceMs` (SegmentsRepo.coverage), from start times only.
 * `starts`: the start times, in order, of the segments that reach into the range (the walk
 * begins at the first of them); `endAt`: the end of the segment that starts at a time.
 */
export function mergeCoverage(starts: ArrayLike<number>, endAt: (startMs: number) => number, from: number, to: number, toleranceMs: number): CoverageSpan[] {
  const spans: CoverageSpan[] = [];
  const close = (runStart: number, runEnd: number) => {
    const startMs = Math.max(runStart, from);
    const endMs = Math.min(runEnd, to);
    if (endMs > startMs) spans.push({ startMs, endMs });
  };
  if (starts.length === 0) return spans;
  let runStart = starts[0]!;
  /** The latest end known in the current run. */
  let runEnd = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < starts.length; i++) {
    const start = starts[i]!;
    const previous = starts[i - 1]!;
    // Within the tolerance of the previous start: certainly within it of the previous end.
    if (start - previous <= toleranceMs) continue;
    runEnd = Math.max(runEnd, endAt(previous));
    if (start > runEnd + toleranceMs) {
      close(runStart, runEnd);
      runStart = start;
      runEnd = Number.NEGATIVE_INFINITY;
    }
  }
  close(runStart, Math.max(runEnd, endAt(starts[starts.length - 1]!)));
  return spans;
}
