// Collects the pictures of one clip at the model's sample rate and hands out overlapping
// clips: a sliding window with a stride of half a clip, so an act that begins in the middle
// of one clip is whole in the next, and a score arrives every half clip (2 s for 16 pictures
// at 4 a second) rather than every clip.
import type { ClipFrame } from './clip-tensor';

export interface ClipBufferOptions {
  framesPerClip: number;
  sampleFps: number;
  /**
   * A gap between two pictures longer than this starts the clip afresh (the group walked
   * apart, the camera stalled): pictures on either side of it are not one scene. Default: 3
   * sample intervals.
   */
  maxGapMs?: number;
}

export interface Clip {
  frames: ClipFrame[];
  /** Time of the first and last picture. */
  from: number;
  to: number;
}

export class ClipBuffer {
  readonly stride: number;
  private readonly intervalMs: number;
  private readonly maxGapMs: number;
  private frames: ClipFrame[] = [];
  private times: number[] = [];
  /** The next time on the sampling grid; null when nothing has been taken yet. */
  private nextDue: number | null = null;

  constructor(private readonly options: ClipBufferOptions) {
    this.intervalMs = 1000 / options.sampleFps;
    this.stride = Math.max(1, Math.floor(options.framesPerClip / 2));
    this.maxGapMs = options.maxGapMs ?? 3 * this.intervalMs;
  }

  get length(): number {
    return this.frames.length;
  }

  /**
   * Whether a picture at `at` belongs in the clip. Pictures are taken on a fixed grid of
   * sample times, so a 5 fps camera sampled at 4 fps gives 4 pictures a second, not every
   * second one. Asking first spares the crop copy for pictures that are not taken.
   */
  wants(at: number): boolean {
    return this.nextDue === null || at >= this.nextDue || this.gapBefore(at);
  }

  /** Adds a picture `wants` accepted; returns a full clip when this one completes it. */
  push(frame: ClipFrame, at: number): Clip | null {
    if (this.gapBefore(at)) this.reset();
    this.frames.push(frame);
    this.times.push(at);
    this.nextDue = this.nextDue === null ? at + this.intervalMs : this.nextDue + this.intervalMs;
    // Behind by more than a whole interval (a slow camera): restart the grid from this picture.
    if (this.nextDue <= at) this.nextDue = at + this.intervalMs;
    if (this.frames.length < this.options.framesPerClip) return null;
    const clip: Clip = { frames: this.frames.slice(), from: this.times[0]!, to: at };
    this.frames = this.frames.slice(this.stride);
    this.times = this.times.slice(this.stride);
    return clip;
  }

  reset(): void {
    this.frames = [];
    this.times = [];
    this.nextDue = null;
  }

  private gapBefore(at: number): boolean {
    const last = this.times.at(-1);
    return last !== undefined && at - last > this.maxGapMs;
  }
}
