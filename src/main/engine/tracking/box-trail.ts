// A track's path for playback overlays, kept small enough to persist with the track: at most
// one box per `everyMs`, at most `max` boxes. When the trail is full, every other box is
// dropped and the spacing doubles, so a track of any length keeps evenly spread boxes from
// its first to its last moment (a person crossing the picture in 20 s keeps one every
// 500 ms, a car parked for an hour ends with 300 to 600 boxes 6 to 12 s apart). Players
// interpolate between samples.
import type { Box } from '../../../shared/detection';

export interface BoxSample {
  /** Time of the frame the box was detected in (the timeMs given to Tracker.update). */
  at: number;
  box: Box;
}

export class BoxTrail {
  private samples: BoxSample[] = [];
  private spacingMs: number;

  constructor(
    everyMs: number,
    private readonly max: number,
  ) {
    this.spacingMs = everyMs;
  }

  get length(): number {
    return this.samples.length;
  }

  add(at: number, box: Box): void {
    const last = this.samples[this.samples.length - 1];
    if (last && at - last.at < this.spacingMs) return;
    this.push(at, box);
  }

  /**
   * The trail as it ends, with the last observed box included even when it came sooner than
   * the spacing, so playback draws the object up to the moment it was last seen.
   */
  finish(at: number, box: Box): BoxSample[] {
    const last = this.samples[this.samples.length - 1];
    if (!last || last.at < at) this.push(at, box);
    return this.samples.map((sample) => ({ at: sample.at, box: [...sample.box] }));
  }

  private push(at: number, box: Box): void {
    this.samples.push({ at, box: [...box] });
    if (this.samples.length > this.max) {
      // Keep the first and the newest; drop every other box in between.
      const newest = this.samples[this.samples.length - 1]!;
      const thinned = this.samples.filter((_, index) => index % 2 === 0);
      if (thinned[thinned.length - 1] !== newest) thinned.push(newest);
      this.samples = thinned;
      this.spacingMs *= 2;
    }
  }
}
