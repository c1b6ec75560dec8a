// Keeping several <video> players on one review clock. Pure decisions; the segment player
// applies them to its elements.

export const SYNC = {
  /** While playing, a player this far off the clock is re-seeked. */
  seekDriftSeconds: 0.3,
  /** Smaller drift is pulled in by playing a little faster or slower instead (no stutter). */
  nudgeDriftSeconds: 0.06,
  nudge: 0.08,
  /** Paused (stepping, scrubbing): the frame shown must be the clock's, within a frame. */
  pausedDriftSeconds: 0.04,
  /** After a seek, give the element this long to settle before judging it again. */
  settleMs: 800,
  /** A player loading longer than this stops holding the shared clock for the others. */
  stallMs: 4000,
} as const;

export interface SyncInput {
  /** Where the clock says the media should be (seconds into the segment). */
  target: number;
  current: number;
  /** The element's duration, when known (fragmented MP4 may report Infinity). */
  duration: number;
  playing: boolean;
  rate: number;
  seeking: boolean;
  ended: boolean;
  msSinceSeek: number;
}

export type SyncAction = { kind: 'none'; rate: number } | { kind: 'seek'; to: number; rate: number };

/**
 * What to do with a player so it shows the clock's moment: nothing, nudge its rate, or seek.
 * A segment's index end may lie a little past its last frame: past the media's end, the last
 * frame stays up until the clock moves on to the next segment, rather than seeking in a loop.
 */
export function decideSync(input: SyncInput): SyncAction {
  const { current, playing, rate, seeking, ended, msSinceSeek } = input;
  const end = Number.isFinite(input.duration) && input.duration > 0 ? input.duration : Infinity;
  const target = Math.min(input.target, end);
  if (seeking || msSinceSeek < (playing ? SYNC.settleMs : 0)) return { kind: 'none', rate };
  const drift = current - target;
  if ((ended || current >= end - 0.05) && target >= end - SYNC.seekDriftSeconds) return { kind: 'none', rate };
  if (!playing) return Math.abs(drift) > SYNC.pausedDriftSeconds ? { kind: 'seek', to: target, rate } : { kind: 'none', rate };
  if (Math.abs(drift) > SYNC.seekDriftSeconds) return { kind: 'seek', to: target, rate };
  if (Math.abs(drift) > SYNC.nudgeDriftSeconds) return { kind: 'none', rate: rate * (drift > 0 ? 1 - SYNC.nudge : 1 + SYNC.nudge) };
  return { kind: 'none', rate };
}

/** What one player reports to the clock each frame. */
export type PlayerFrame =
  | { state: 'playing' }
  /** Has footage now but cannot show it yet (loading, seeking): the clock waits for it. */
  | { state: 'waiting'; since: number }
  /** No footage at the clock's time; `nextStart` is where its footage resumes, when known (<= t: right here, the list lags). */
  | { state: 'gap'; nextStart: number | null };

export type ClockAction = { kind: 'run'; buffering: boolean } | { kind: 'skip'; to: number } | { kind: 'end' };

/**
 * What the shared clock does after hearing every player: wait for players still loading
 * (unless one is stuck, so one broken camera does not freeze the rest), skip a gap that no
 * camera has footage in, or stop at the end of everything recorded.
 */
export function decideClock(frames: readonly PlayerFrame[], t: number, playing: boolean, now: number): ClockAction {
  const buffering = frames.some((f) => f.state === 'waiting' && now - f.since < SYNC.stallMs);
  if (!playing || frames.length === 0) return { kind: 'run', buffering };
  if (!frames.every((f) => f.state === 'gap')) return { kind: 'run', buffering };
  let next: number | null = null;
  for (const f of frames) {
    if (f.state !== 'gap' || f.nextStart === null) continue;
    // Footage is known to be here (a hair's gap between segments, or a list still catching up): run on.
    if (f.nextStart <= t) return { kind: 'run', buffering };
    if (next === null || f.nextStart < next) next = f.nextStart;
  }
  return next === null ? { kind: 'end' } : { kind: 'skip', to: next };
}
