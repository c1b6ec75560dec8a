// Pure live-playback decisions for the MSE player. No DOM: the player converts TimeRanges
// to plain arrays, asks these functions what to do, and does it.

export interface Range {
  start: number;
  end: number;
}

export const CATCH_UP = {
  /** Further than this behind the live edge: jump. */
  seekAboveSeconds: 1.0,
  /** Between this and `seekAboveSeconds` behind: play slightly faster. */
  speedUpAboveSeconds: 0.3,
  /** Where a jump lands, behind the live edge (enough to not stall on the next frame). */
  seekBehindEdgeSeconds: 0.2,
  fastRate: 1.1,
  /** Playhead this far past the buffered end means the data lies behind it (timestamps went back). */
  aheadToleranceSeconds: 0.5,
} as const;

export const TRIM = {
  /** Keep this much already-played video behind the playhead. */
  keepSeconds: 10,
  /** Do not bother with removals smaller than this (each remove() is an update cycle). */
  minChunkSeconds: 2,
} as const;

export type CatchUp = { kind: 'seek'; to: number } | { kind: 'rate'; rate: number } | { kind: 'none' };

/** The range holding the newest video: the last one (timestamps only go forward within a source). */
export function liveEdge(ranges: readonly Range[]): Range | null {
  return ranges.length > 0 ? (ranges[ranges.length - 1] as Range) : null;
}

/** Seconds between the playhead and the newest buffered video; null before any video. */
export function latency(ranges: readonly Range[], currentTime: number): number | null {
  const edge = liveEdge(ranges);
  return edge ? Math.max(0, edge.end - currentTime) : null;
}

/**
 * What to do to stay near the live edge:
 * - no video yet: nothing;
 * - playhead before the newest range (first start, or a gap after skipped fragments), or far
 *   past its end: seek into it;
 * - more than 1.0 s behind the edge: seek to edge - 0.2 s;
 * - 0.3 to 1.0 s behind: playback rate 1.1; otherwise 1.0 (only reported when it changes).
 */
export function decideCatchUp(ranges: readonly Range[], currentTime: number, playbackRate: number): CatchUp {
  const edge = liveEdge(ranges);
  if (!edge) return { kind: 'none' };
  const target = Math.max(edge.start, edge.end - CATCH_UP.seekBehindEdgeSeconds);
  if (currentTime < edge.start || currentTime > edge.end + CATCH_UP.aheadToleranceSeconds) {
    return { kind: 'seek', to: target };
  }
  const behind = edge.end - currentTime;
  if (behind > CATCH_UP.seekAboveSeconds) return { kind: 'seek', to: target };
  const rate = behind > CATCH_UP.speedUpAboveSeconds ? CATCH_UP.fastRate : 1.0;
  return rate === playbackRate ? { kind: 'none' } : { kind: 'rate', rate };
}

/**
 * The span to remove from the SourceBuffer so that memory stays flat: everything older
 * than `keepSeconds` behind the playhead, once that is at least `minChunkSeconds` long.
 */
export function planTrim(
  ranges: readonly Range[],
  currentTime: number,
  keepSeconds: number = TRIM.keepSeconds,
  minChunkSeconds: number = TRIM.minChunkSeconds,
): Range | null {
  const first = ranges[0];
  if (!first) return null;
  const end = currentTime - keepSeconds;
  if (end <= first.start || end - first.start < minChunkSeconds) return null;
  return { start: Math.max(0, first.start), end };
}

/** After QuotaExceededError: free everything but the last second before the playhead. */
export function planEmergencyTrim(ranges: readonly Range[], currentTime: number): Range | null {
  return planTrim(ranges, currentTime, 1, 0.05);
}

/** Decode timestamps that go backwards mean a new source: the player must reset. */
export function isTimestampJump(previousSeconds: number | null, nextSeconds: number | null): boolean {
  if (previousSeconds === null || nextSeconds === null) return false;
  return nextSeconds < previousSeconds - 0.001;
}

/**
 * "Live" means frames are actually playing: the playhead advanced within `stallMs`.
 * Seeks are not advances: the player resets `lastTime` to the seek target.
 */
export interface AdvanceTracker {
  lastTime: number;
  lastAdvanceAt: number | null;
}

export const STALL_MS = 1500;

export function trackAdvance(prev: AdvanceTracker, currentTime: number, now: number, paused: boolean): AdvanceTracker {
  if (!paused && currentTime > prev.lastTime + 0.001) return { lastTime: currentTime, lastAdvanceAt: now };
  return { lastTime: currentTime, lastAdvanceAt: prev.lastAdvanceAt };
}

export function isAdvancing(tracker: AdvanceTracker, now: number, stallMs: number = STALL_MS): boolean {
  return tracker.lastAdvanceAt !== null && now - tracker.lastAdvanceAt <= stallMs;
}
