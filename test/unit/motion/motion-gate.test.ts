import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD_MS, MotionGate, type MotionOptions, type MotionResult } from '../../../src/main/engine/motion/motion-gate';
import { SyntheticScene, type Square } from './synthetic-scene';

const W = 128;
const H = 72;
const FPS = 5;
const STEP = 1000 / FPS;
// CameraOptions' defaults.
const DEFAULTS: MotionOptions = { threshold: 25, minArea: 0.002, masks: [] };

function copy(result: MotionResult): MotionResult {
  return { score: result.score, active: result.active, box: result.box ? [...result.box] : null };
}

/** Feeds `count` frames at 5 fps from `start` ms and returns every result. */
function run(gate: MotionGate, count: number, frame: (index: number) => Uint8Array, start = 0): MotionResult[] {
  const results: MotionResult[] = [];
  for (let i = 0; i < count; i++) results.push(copy(gate.update(frame(i), start + i * STEP)));
  return results;
}

/** A square walking left to right across the middle, 3 px a frame (a person at 5 fps, roughly). */
function walker(i: number, size = 12): Square {
  return { x: 4 + ((i * 3) % (W - size - 8)), y: 30, size, level: 230 };
}

describe('MotionGate', () => {
  it('stays idle on a static scene with camera noise', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    const results = run(gate, 150, () => scene.frame({ sigma: 8 }));
    expect(results.every((r) => !r.active)).toBe(true);
    expect(Math.max(...results.map((r) => r.score))).toBeLessThan(0.0005);
  });

  it('stays idle on grainy night noise stronger than the threshold (noise floor)', () => {
    const scene = new SyntheticScene(W, H, 7);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    // sigma 30 per pixel: a 3x3 blur leaves ~10, a plain 25-level threshold would flicker.
    const results = run(gate, 150, () => scene.frame({ sigma: 30 }));
    expect(results.slice(10).filter((r) => r.active)).toHaveLength(0);
  });

  it('turns active on a moving bright square, with a score close to its share of the picture', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 20, () => scene.frame({ sigma: 4 }));
    const results = run(gate, 30, (i) => scene.frame({ sigma: 4, squares: [walker(i)] }), 20 * STEP);
    const area = (12 * 12) / (W * H);
    expect(results.every((r) => r.active)).toBe(true);
    for (const r of results.slice(3)) {
      // The blur widens the edges by a pixel and the square's last position fades for a
      // frame or two, so the score sits a little above the bare area.
      expect(r.score).toBeGreaterThan(area * 0.8);
      expect(r.score).toBeLessThan(area * 2.2);
    }
    // The box follows the square (0-1 coordinates).
    const last = results.at(-1)!;
    const square = walker(29);
    expect(last.box).not.toBeNull();
    const [x1, y1, x2, y2] = last.box!;
    expect(x1).toBeLessThanOrEqual((square.x + 1) / W);
    expect(x2).toBeGreaterThanOrEqual((square.x + square.size - 1) / W);
    expect(y1).toBeCloseTo(square.y / H, 1);
    expect(y2).toBeCloseTo((square.y + square.size) / H, 1);
    expect(x2 - x1).toBeLessThan(0.3);
  });

  it('ignores motion inside a mask, and scores against the watched pixels only', () => {
    const scene = new SyntheticScene(W, H);
    // Left half masked (a road the camera should not watch).
    const masks: MotionOptions['masks'] = [[[0, 0], [0.5, 0], [0.5, 1], [0, 1]]];
    const masked = new MotionGate({ width: W, height: H }, { ...DEFAULTS, masks });
    const inMask = (i: number): Square => ({ x: 4 + ((i * 3) % 40), y: 30, size: 12, level: 230 });
    run(masked, 10, () => scene.frame({ sigma: 4 }));
    const ignored = run(masked, 30, (i) => scene.frame({ sigma: 4, squares: [inMask(i)] }), 10 * STEP);
    expect(ignored.every((r) => !r.active && r.score === 0)).toBe(true);

    const outside = (i: number): Square => ({ x: 70 + ((i * 3) % 40), y: 30, size: 12, level: 230 });
    const seen = run(masked, 10, (i) => scene.frame({ sigma: 4, squares: [outside(i)] }), 40 * STEP);
    expect(seen.at(-1)!.active).toBe(true);
    // Half the picture watched: the same square scores about twice its whole-picture share.
    expect(seen.at(-1)!.score).toBeGreaterThan(((12 * 12) / (W * H)) * 2 * 0.8);
    expect(seen.at(-1)!.box![0]).toBeGreaterThanOrEqual(0.5);
  });

  it('stays idle through a slow brightness drift (dusk, clouds) and a sudden uniform exposure change', () => {
    const scene = new SyntheticScene(W, H, 3);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    // Down 80 grey levels over 40 s, half a level per frame.
    const drift = run(gate, 200, (i) => scene.frame({ sigma: 4, brightness: 40 - i * 0.4 }));
    expect(drift.filter((r) => r.active)).toHaveLength(0);
    // Auto-exposure jumps 50 levels in one frame: uniform, so compensated, not motion.
    const step = run(gate, 20, () => scene.frame({ sigma: 4, brightness: 10 }), 200 * STEP);
    expect(step.filter((r) => r.active)).toHaveLength(0);
  });

  it('holds active for the hold time after motion ends, then goes idle', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 10, () => scene.frame({ sigma: 4 }));
    const moving = run(gate, 10, (i) => scene.frame({ sigma: 4, squares: [walker(i)] }), 10 * STEP);
    expect(moving.at(-1)!.active).toBe(true);
    const after = run(gate, 40, () => scene.frame({ sigma: 4 }), 20 * STEP);
    const firstIdle = after.findIndex((r) => !r.active);
    // Motion ends at once, but the gate stays active for the hold time (3 s = 15 frames)...
    expect(firstIdle * STEP).toBeGreaterThanOrEqual(DEFAULT_HOLD_MS);
    expect(firstIdle * STEP).toBeLessThanOrEqual(DEFAULT_HOLD_MS + 2000);
    // ...and never flaps back.
    expect(after.slice(firstIdle).every((r) => !r.active)).toBe(true);
  });

  it('does not flap on motion every other frame, nor around the minimum area', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 10, () => scene.frame({ sigma: 2 }));
    // A square that blinks on and off every other frame.
    const blinking = run(gate, 30, (i) => scene.frame({ sigma: 2, squares: i % 2 === 0 ? [walker(i)] : [] }), 10 * STEP);
    expect(blinking.every((r) => r.active)).toBe(true);

    // Motion just above the minimum area, then just below it: once active, half the area keeps it.
    // A 7-pixel square moves ~77 pixels (the blur adds a rim), a 5-pixel one ~45.
    const minArea = 55 / (W * H);
    const edge = new MotionGate({ width: W, height: H }, { ...DEFAULTS, minArea, holdMs: 400 });
    run(edge, 10, () => scene.frame());
    const small = (i: number, size: number): Square => ({ x: 20 + (i % 2) * size * 2, y: 20, size, level: 240 });
    expect(run(edge, 5, (i) => scene.frame({ squares: [small(i, 7)] }), 10 * STEP).at(-1)!.active).toBe(true);
    const below = run(edge, 20, (i) => scene.frame({ squares: [small(i, 5)] }), 15 * STEP);
    expect(below.every((r) => r.score < minArea)).toBe(true);
    expect(below.every((r) => r.active)).toBe(true);
    // A fresh gate would not have triggered on the small square alone.
    const fresh = new MotionGate({ width: W, height: H }, { ...DEFAULTS, minArea, holdMs: 400 });
    run(fresh, 10, () => scene.frame());
    expect(run(fresh, 20, (i) => scene.frame({ squares: [small(i, 5)] }), 10 * STEP).some((r) => r.active)).toBe(false);
  });

  it('lets an object that stops (a parked car) fade into the background', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 10, () => scene.frame({ sigma: 4 }));
    const parked: Square = { x: 60, y: 20, size: 20, level: 30 };
    const results = run(gate, 250, () => scene.frame({ sigma: 4, squares: [parked] }), 10 * STEP);
    expect(results[0]!.active).toBe(true);
    const idleAt = results.findIndex((r, i) => i > 0 && !r.active);
    expect(idleAt).toBeGreaterThan(0);
    expect(idleAt * STEP).toBeLessThan(45_000);
  });

  it('starts over on a new picture size and refuses a frame of the wrong size', () => {
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    const scene = new SyntheticScene(W, H);
    run(gate, 5, () => scene.frame());
    expect(() => gate.update(new Uint8Array(96 * 54), 5 * STEP)).toThrow(RangeError);
    gate.resize({ width: 96, height: 54 });
    expect(gate.size).toEqual({ width: 96, height: 54 });
    const small = new SyntheticScene(96, 54);
    // The first frame at the new size is the new background, not motion.
    const first = copy(gate.update(small.frame(), 6 * STEP));
    expect(first).toEqual({ score: 0, active: false, box: null });
    expect(run(gate, 10, () => small.frame({ sigma: 4 }), 7 * STEP).every((r) => !r.active)).toBe(true);
    expect(() => gate.resize({ width: 0, height: 54 })).toThrow(RangeError);
  });

  it('after a long gap (stalled stream) learns the new scene instead of reporting it as motion', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 10, () => scene.frame());
    // Sixty seconds later the camera was moved: everything differs.
    const other = new SyntheticScene(W, H, 9);
    const moved = other.frame({ brightness: -40, squares: [{ x: 0, y: 0, size: 60, level: 250 }] });
    expect(copy(gate.update(moved, 60_000 + 10 * STEP)).active).toBe(false);
    expect(copy(gate.update(moved, 60_000 + 11 * STEP)).active).toBe(false);
  });

  it('keeps the background when only the thresholds change, and reuses its result object', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, DEFAULTS);
    run(gate, 10, () => scene.frame({ sigma: 4 }));
    gate.configure({ ...DEFAULTS, threshold: 40 });
    const a = gate.update(scene.frame({ sigma: 4 }), 10 * STEP);
    expect(a.active).toBe(false);
    const b = gate.update(scene.frame({ sigma: 4, squares: [walker(0)] }), 11 * STEP);
    expect(b).toBe(a);
    expect(b.active).toBe(true);
  });

  it('a fully masked camera never moves', () => {
    const scene = new SyntheticScene(W, H);
    const gate = new MotionGate({ width: W, height: H }, { ...DEFAULTS, masks: [[[0, 0], [1, 0], [1, 1], [0, 1]]] });
    expect(run(gate, 20, (i) => scene.frame({ squares: [walker(i)] })).every((r) => !r.active && r.score === 0)).toBe(true);
  });
});
