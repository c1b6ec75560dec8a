// The motion gate: from a small grey picture (FFmpeg's gray8, e.g. 96x54) it decides whether
// anything moves in front of one camera, so that the object detector runs only where it can
// find something. Pure and synchronous, one instance per camera; every buffer is sized once
// per picture size, so a frame costs no allocation (36 cameras x 5 fps never feed the GC).
import { rasterizeMasks, type MaskPolygon } from './motion-mask';

export interface FrameSize {
  width: number;
  height: number;
}

export interface MotionOptions {
  /** Grey-level change (1-255) that counts a pixel as moving: CameraOptions.motionThreshold. */
  threshold: number;
  /** Share (0-1) of the watched picture that must move: CameraOptions.motionMinArea. */
  minArea: number;
  /** Ignored areas, polygons in 0-1 picture coordinates: CameraOptions.motionMasks. */
  masks: readonly MaskPolygon[];
  /** How long the gate stays active after the last motion, in ms (default 3000). */
  holdMs?: number;
}

/** [x1, y1, x2, y2] in 0-1 picture coordinates. */
export type UnitBox = [x1: number, y1: number, x2: number, y2: number];

export interface MotionResult {
  /** Fraction (0-1) of the watched (unmasked) pixels that moved in this frame. */
  score: number;
  /** Motion now or within the hold time: run the detector on this camera. */
  active: boolean;
  /** Where this frame's motion is (outliers trimmed); null when nothing moved. */
  box: UnitBox | null;
}

export const DEFAULT_HOLD_MS = 3000;
/**
 * Time constant of the running-average background. A few seconds follows clouds, dusk and
 * auto-exposure (they change over tens of seconds) yet keeps a walking person out of it.
 */
const BACKGROUND_TAU_MS = 4000;
/**
 * Pixels that moved learn at a quarter of the rate: a walker leaves no ghost behind, and a
 * car that parks still fades into the background after ~20 s instead of gating forever.
 */
const MOVING_LEARN_FACTOR = 0.25;
/** Grainy night pictures raise the per-pixel threshold to this many noise sigmas... */
const NOISE_SIGMAS = 4;
/** ...but never above this multiple of the operator's threshold, or real motion would vanish. */
const NOISE_FLOOR_CAP = 3;
/** Once active, half the minimum area keeps it active: no flapping around the limit. */
const KEEP_RATIO = 0.5;
/** After a gap this long (stalled stream, paused camera) the old background is worthless. */
const RESET_GAP_MS = 30_000;
/** The box ignores this share of moving pixels on each side (stray noise far away). */
const BOX_TRIM = 0.02;
/** Differences are binned from -255 to +255 for the median and the noise estimate. */
const BINS = 511;

export class MotionGate {
  private width = 0;
  private height = 0;
  private options: Required<MotionOptions>;
  private mask = new Uint8Array(0);
  private watched = 0;
  private horizontal = new Float32Array(0);
  private blurred = new Float32Array(0);
  private background = new Float32Array(0);
  private columns = new Uint32Array(0);
  private rows = new Uint32Array(0);
  private readonly histogram = new Uint32Array(BINS);
  /** This frame's median difference and noise sigma (fields, not a returned object: no garbage). */
  private offset = 0;
  private sigma = 0;
  private frames = 0;
  private lastFrameAt = 0;
  private lastMotionAt = Number.NEGATIVE_INFINITY;
  private readonly box: UnitBox = [0, 0, 0, 0];
  // One result object, overwritten by every update: callers copy what they keep.
  private readonly result: MotionResult = { score: 0, active: false, box: null };

  constructor(size: FrameSize, options: MotionOptions) {
    this.options = withDefaults(options);
    this.resize(size);
  }

  get size(): FrameSize {
    return { width: this.width, height: this.height };
  }

  /** New thresholds keep the learnt background; new masks are rasterised again. */
  configure(options: MotionOptions): void {
    const masksChanged = JSON.stringify(options.masks) !== JSON.stringify(this.options.masks);
    this.options = withDefaults(options);
    if (masksChanged) this.watched = rasterizeMasks(this.options.masks, this.width, this.height, this.mask);
  }

  /** A new picture size starts over: the old background does not map onto it. */
  resize(size: FrameSize): void {
    const { width, height } = size;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`motion picture size ${width}x${height} is not a size`);
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    const pixels = width * height;
    this.mask = new Uint8Array(pixels);
    this.horizontal = new Float32Array(pixels);
    this.blurred = new Float32Array(pixels);
    this.background = new Float32Array(pixels);
    this.columns = new Uint32Array(width);
    this.rows = new Uint32Array(height);
    this.watched = rasterizeMasks(this.options.masks, width, height, this.mask);
    this.reset();
  }

  /** Forgets the background and any motion: the next frame is learnt as the empty scene. */
  reset(): void {
    this.frames = 0;
    this.lastMotionAt = Number.NEGATIVE_INFINITY;
    this.result.score = 0;
    this.result.active = false;
    this.result.box = null;
  }

  /**
   * Compares one frame (gray8, width*height bytes) with the background and learns it.
   * The returned object is reused by the next call.
   */
  update(gray: Uint8Array, timeMs: number): MotionResult {
    if (gray.length !== this.width * this.height) {
      throw new RangeError(`motion frame has ${gray.length} bytes, ${this.width}x${this.height} needs ${this.width * this.height}: resize the gate first`);
    }
    // A clock that went backwards would hold the gate active until it caught up again.
    if (this.frames > 0 && (timeMs < this.lastFrameAt || timeMs - this.lastFrameAt > RESET_GAP_MS)) this.reset();
    this.blur(gray);
    const result = this.result;
    if (this.frames === 0) {
      this.background.set(this.blurred);
      this.frames = 1;
      this.lastFrameAt = timeMs;
      result.score = 0;
      result.box = null;
      result.active = timeMs - this.lastMotionAt <= this.options.holdMs;
      return result;
    }

    this.measureDifference();
    const offset = this.offset;
    const threshold = Math.max(this.options.threshold, Math.min(NOISE_SIGMAS * this.sigma, NOISE_FLOOR_CAP * this.options.threshold));
    // Time-based, so a slower heartbeat learns as fast per second as full rate; during warm-up
    // the background is the plain mean of the frames so far, which settles in a few frames.
    const alpha = Math.max(1 - Math.exp(-(timeMs - this.lastFrameAt) / BACKGROUND_TAU_MS), 1 / (this.frames + 1));
    const slowAlpha = alpha * MOVING_LEARN_FACTOR;
    const { width, height, mask, blurred, background, columns, rows } = this;
    columns.fill(0);
    rows.fill(0);
    let moving = 0;
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const value = blurred[i]!;
        const learnt = background[i]!;
        // The global offset takes out a uniform brightness change (auto-exposure, a cloud).
        const moved = mask[i] === 0 && Math.abs(value - learnt - offset) > threshold;
        if (moved) {
          moving++;
          columns[x]!++;
          rows[y]!++;
        }
        background[i] = learnt + (moved ? slowAlpha : alpha) * (value - learnt);
      }
    }
    this.frames++;
    this.lastFrameAt = timeMs;

    const score = this.watched > 0 ? moving / this.watched : 0;
    const triggered = moving > 0 && score >= this.options.minArea;
    const sustained = result.active && moving > 0 && score >= this.options.minArea * KEEP_RATIO;
    if (triggered || sustained) this.lastMotionAt = timeMs;
    result.score = score;
    result.active = timeMs - this.lastMotionAt <= this.options.holdMs;
    result.box = moving > 0 ? this.boundingBox(moving) : null;
    return result;
  }

  /** 3x3 box blur with clamped edges: takes out sensor noise and one-pixel compression speckle. */
  private blur(gray: Uint8Array): void {
    const { width, height, horizontal, blurred } = this;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const centre = gray[row + x]!;
        const left = x > 0 ? gray[row + x - 1]! : centre;
        const right = x < width - 1 ? gray[row + x + 1]! : centre;
        horizontal[row + x] = left + centre + right;
      }
    }
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const above = y > 0 ? row - width : row;
      const below = y < height - 1 ? row + width : row;
      for (let x = 0; x < width; x++) blurred[row + x] = (horizontal[above + x]! + horizontal[row + x]! + horizontal[below + x]!) / 9;
    }
  }

  /**
   * Median difference from the background (a uniform brightness change) and the noise sigma
   * around it (median absolute deviation), over the watched pixels. Both are robust while
   * less than half the picture moves.
   */
  private measureDifference(): void {
    const { histogram, blurred, background, mask } = this;
    this.offset = 0;
    this.sigma = 0;
    histogram.fill(0);
    let counted = 0;
    for (let i = 0; i < blurred.length; i++) {
      if (mask[i] !== 0) continue;
      const bin = Math.round(blurred[i]! - background[i]!) + 255;
      histogram[bin < 0 ? 0 : bin > BINS - 1 ? BINS - 1 : bin]!++;
      counted++;
    }
    if (counted === 0) return;
    const half = counted / 2;
    let median = 0;
    for (let sum = 0; median < BINS; median++) {
      sum += histogram[median]!;
      if (sum >= half) break;
    }
    let within = histogram[median]!;
    let mad = 0;
    while (within < half && mad < BINS) {
      mad++;
      within += (histogram[median - mad] ?? 0) + (histogram[median + mad] ?? 0);
    }
    this.offset = median - 255;
    this.sigma = 1.4826 * mad;
  }

  private boundingBox(moving: number): UnitBox {
    const trim = Math.floor(moving * BOX_TRIM);
    const box = this.box;
    box[0] = firstBeyond(this.columns, trim) / this.width;
    box[1] = firstBeyond(this.rows, trim) / this.height;
    box[2] = (lastBeyond(this.columns, trim) + 1) / this.width;
    box[3] = (lastBeyond(this.rows, trim) + 1) / this.height;
    return box;
  }
}

/** First index once `trim` counts are dropped from the start. */
function firstBeyond(counts: Uint32Array, trim: number): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!;
    if (sum > trim) return i;
  }
  return 0;
}

/** Last index once `trim` counts are dropped from the end. */
function lastBeyond(counts: Uint32Array, trim: number): number {
  let sum = 0;
  for (let i = counts.length - 1; i >= 0; i--) {
    sum += counts[i]!;
    if (sum > trim) return i;
  }
  return counts.length - 1;
}

function withDefaults(options: MotionOptions): Required<MotionOptions> {
  return { ...options, holdMs: options.holdMs ?? DEFAULT_HOLD_MS };
}
