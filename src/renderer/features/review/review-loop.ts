// One animation-frame loop for the whole review screen: it reads the clock once per frame,
// lets every player follow it (and report whether it has footage), moves playheads and
// overlays, then lets the clock wait for loading players or skip gaps no camera covers.
import type { ReviewClock } from './review-clock';
import { decideClock, type PlayerFrame } from './sync';

export interface FrameContext {
  /** The clock's moment this frame. */
  t: number;
  /** The clock moves: playing and not held for a loading player (players play only then). */
  playing: boolean;
  /** Playing but held for a loading player: players pause where they are, without re-seeking. */
  holding: boolean;
  rate: number;
  /** Changes whenever the clock jumped (seek, step, skip): players re-seek at once. */
  jump: number;
  /** performance.now() of this frame. */
  now: number;
}

/** Players report a PlayerFrame; playheads and the like return nothing. */
export type FrameParticipant = (frame: FrameContext) => PlayerFrame | void;

export class ReviewLoop {
  private readonly participants = new Set<FrameParticipant>();
  private raf = 0;
  /** Called (with the clock's moment) when no player knows of footage after it; the clock is paused. */
  onEnd: ((t: number) => void) | null = null;

  constructor(
    readonly clock: ReviewClock,
    private readonly perfNow: () => number = () => performance.now(),
  ) {}

  add(participant: FrameParticipant): () => void {
    this.participants.add(participant);
    return () => {
      this.participants.delete(participant);
    };
  }

  start(): void {
    if (!this.raf) this.raf = requestAnimationFrame(this.tick);
  }

  stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  /** One frame (also callable directly after a seek, so the picture follows without a frame's delay). */
  frame(): void {
    const { clock } = this;
    const now = this.perfNow();
    const { playing, rate, buffering } = clock.snapshot;
    const context: FrameContext = { t: clock.time(), playing: playing && !buffering, holding: playing && buffering, rate, jump: clock.jumpCount, now };
    const reports: PlayerFrame[] = [];
    for (const participant of this.participants) {
      const report = participant(context);
      if (report) reports.push(report);
    }
    const action = decideClock(reports, context.t, playing, now);
    if (action.kind === 'run') clock.setBuffering(action.buffering);
    else if (action.kind === 'skip') clock.seek(action.to);
    else {
      clock.pause();
      this.onEnd?.(context.t);
    }
  }

  private readonly tick = () => {
    this.raf = 0;
    this.frame();
    this.raf = requestAnimationFrame(this.tick);
  };
}
