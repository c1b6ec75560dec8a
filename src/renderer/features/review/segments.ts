// Which recorded segment holds a wall-clock moment, what comes next, and where footage
// resumes after a gap. Pure: segments as the engine lists them (oldest first).
import type { RecordingSegmentView } from '../../../shared/review';
import type { TimeRange } from './time-scale';

/** Neighbours closer than this play as one stream (segment times come from FFmpeg's reports). */
export const CONTIGUOUS_MS = 1000;

/**
 * The segment to show at `t`: the one whose [startMs, endMs) holds it. Where two overlap
 * (a restart), the later one wins, as it is the one that goes on.
 */
export function segmentAt(segments: readonly RecordingSegmentView[], t: number, skip?: ReadonlySet<number>): RecordingSegmentView | null {
  let found: RecordingSegmentView | null = null;
  for (const segment of segments) {
    if (segment.startMs > t) break;
    if (t < segment.endMs && !skip?.has(segment.id)) found = segment;
  }
  return found;
}

/** Seconds into the segment's media for wall time `t` (segments restart their timestamps at 0). */
export function offsetIn(segment: RecordingSegmentView, t: number): number {
  return Math.max(0, (t - segment.startMs) / 1000);
}

/** The first segment starting after `t` (to preload when it follows on without a real gap). */
export function segmentAfter(segments: readonly RecordingSegmentView[], t: number, skip?: ReadonlySet<number>): RecordingSegmentView | null {
  for (const segment of segments) if (segment.startMs > t && !skip?.has(segment.id)) return segment;
  return null;
}

/** The earliest start of footage after `t` in any of the span lists, or null when none is known. */
export function nextCoveredStart(t: number, ...spanLists: readonly (readonly TimeRange[])[]): number | null {
  let best: number | null = null;
  for (const spans of spanLists) {
    for (const span of spans) {
      if (span.from > t && (best === null || span.from < best)) best = span.from;
      else if (span.from <= t && span.to > t) return t; // already inside footage
    }
  }
  return best;
}

/** Segments as spans (for nextCoveredStart), leaving out any that failed to play. */
export function segmentSpans(segments: readonly RecordingSegmentView[], skip?: ReadonlySet<number>): TimeRange[] {
  return segments.filter((s) => !skip?.has(s.id)).map((s) => ({ from: s.startMs, to: s.endMs }));
}

/** Spans clipped to a range, dropping those outside it. */
export function clipSpans(spans: readonly TimeRange[], range: TimeRange): TimeRange[] {
  const out: TimeRange[] = [];
  for (const span of spans) {
    const from = Math.max(span.from, range.from);
    const to = Math.min(span.to, range.to);
    if (to > from) out.push({ from, to });
  }
  return out;
}

/** Total covered time in a range (for labels and tests). */
export function coveredMs(spans: readonly TimeRange[], range: TimeRange): number {
  return clipSpans(spans, range).reduce((sum, s) => sum + (s.to - s.from), 0);
}
