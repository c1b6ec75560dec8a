// Synthetic grey pictures for the motion gate: a textured static scene (so a moving object
// crosses edges, as in a real picture), seeded sensor noise, uniform brightness changes and
// bright squares. Seeded so a failing test fails the same way every run.

export interface Square {
  x: number;
  y: number;
  size: number;
  level: number;
}

export class SyntheticScene {
  readonly base: Uint8Array;
  private seed: number;

  constructor(
    readonly width: number,
    readonly height: number,
    seed = 1,
  ) {
    this.seed = seed;
    this.base = new Uint8Array(width * height);
    // Soft gradient plus a few darker blocks: a corridor wall with doors, roughly.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const door = Math.floor(x / 16) % 3 === 0 && y > height / 3 ? -30 : 0;
        this.base[y * width + x] = 90 + Math.round((40 * x) / width) + Math.round((20 * y) / height) + door;
      }
    }
  }

  /** mulberry32: small, seeded, good enough for noise. */
  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  private gaussian(): number {
    const u = Math.max(this.random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** One frame: the scene shifted by `brightness`, with noise of `sigma` grey levels and optional squares. */
  frame(options: { sigma?: number; brightness?: number; squares?: Square[] } = {}): Uint8Array {
    const { sigma = 0, brightness = 0, squares = [] } = options;
    const out = new Uint8Array(this.base.length);
    for (let i = 0; i < out.length; i++) out[i] = clamp(this.base[i]! + brightness + (sigma > 0 ? sigma * this.gaussian() : 0));
    for (const square of squares) {
      for (let y = Math.max(0, square.y); y < Math.min(this.height, square.y + square.size); y++) {
        for (let x = Math.max(0, square.x); x < Math.min(this.width, square.x + square.size); x++) {
          out[y * this.width + x] = clamp(square.level + (sigma > 0 ? sigma * this.gaussian() : 0));
        }
      }
    }
    return out;
  }
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}
