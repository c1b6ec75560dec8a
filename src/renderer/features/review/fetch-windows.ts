// Which stretch of recordings and tracks to ask for around the playhead. The window moves in
// whole steps, so playback re-requests every step rather than every frame, and always has
// footage and paths well ahead of the playhead (for preloading and the skip over gaps). Pure.
import { MINUTE, type TimeRange } from './time-scale';

export interface WindowSpec {
  stepMs: number;
  beforeMs: number;
  afterMs: number;
}

/** Segment lists: 10 s segments, so 20 minutes is ~120 rows. */
export const RECORDINGS_WINDOW: WindowSpec = { stepMs: 5 * MINUTE, beforeMs: 5 * MINUTE, afterMs: 10 * MINUTE };
/** Track paths: heavier (every sample of every object), so a shorter stretch. */
export const TRACKS_WINDOW: WindowSpec = { stepMs: 30_000, beforeMs: 30_000, afterMs: 60_000 };

/** The window holding `t`: [step start - before, step end + after]. */
export function fetchWindow(t: number, spec: WindowSpec): TimeRange {
  const base = Math.floor(t / spec.stepMs) * spec.stepMs;
  return { from: base - spec.beforeMs, to: base + spec.stepMs + spec.afterMs };
}

/** A window reaching this close to the present keeps being re-read: footage is still being written. */
export const LIVE_EDGE_MS = 30_000;

export function reachesPresent(range: TimeRange, now: number): boolean {
  return range.to > now - LIVE_EDGE_MS;
}
