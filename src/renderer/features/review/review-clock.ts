// The one review clock every player follows: a wall-clock moment of the recordings that
// moves at the chosen speed while playing, and holds while a player is still loading (so
// the players wait for each other instead of drifting apart). No DOM: `now` is injected.

export const SPEEDS = [1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

export interface ClockState {
  playing: boolean;
  rate: Speed;
  buffering: boolean;
}

type Listener = () => void;

export class ReviewClock {
  private anchorWall: number;
  private anchorAt: number;
  private state: ClockState = { playing: false, rate: 1, buffering: false };
  /** Bumped by every jump (seek, skip), so players know a re-seek is wanted at once. */
  private jumps = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    start: number,
    private readonly now: () => number,
  ) {
    this.anchorWall = start;
    this.anchorAt = now();
  }

  /** The recordings' moment now (engine wall-clock ms). */
  time(): number {
    const { playing, buffering, rate } = this.state;
    return playing && !buffering ? this.anchorWall + (this.now() - this.anchorAt) * rate : this.anchorWall;
  }

  get snapshot(): ClockState {
    return this.state;
  }

  get jumpCount(): number {
    return this.jumps;
  }

  seek(wall: number): void {
    this.anchorWall = Math.round(wall);
    this.anchorAt = this.now();
    this.jumps++;
    this.emit();
  }

  step(deltaMs: number): void {
    this.seek(this.time() + deltaMs);
  }

  play(): void {
    this.update({ playing: true });
  }

  pause(): void {
    this.update({ playing: false });
  }

  toggle(): void {
    this.update({ playing: !this.state.playing });
  }

  setRate(rate: Speed): void {
    this.update({ rate });
  }

  /** Holds the clock while players load; not a user action, so it keeps `playing`. */
  setBuffering(buffering: boolean): void {
    if (buffering !== this.state.buffering) this.update({ buffering });
  }

  /** For useSyncExternalStore: called on play, pause, speed, buffering and seeks. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private update(change: Partial<ClockState>): void {
    const next = { ...this.state, ...change };
    if (next.playing === this.state.playing && next.rate === this.state.rate && next.buffering === this.state.buffering) return;
    // Re-anchor so the time so far is kept at the old speed and the new one applies from now.
    this.anchorWall = this.time();
    this.anchorAt = this.now();
    this.state = next;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
