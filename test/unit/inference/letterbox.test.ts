import { describe, expect, it } from 'vitest';
import { boxToSource, letterbox, letterboxGeometry, letterboxLength, Letterboxer, type LetterboxSpec } from '../../../src/main/engine/inference/letterbox';
import type { RawFrame } from '../../../src/main/engine/inference/raw-frame';

const YOLOX: LetterboxSpec = { width: 416, height: 416, placement: 'top-left', padValue: 114, channels: 'bgr', valueScale: 1 };
const ULTRALYTICS: LetterboxSpec = { width: 640, height: 640, placement: 'center', padValue: 114, channels: 'rgb', valueScale: 1 / 255 };

/** A frame whose pixel (x, y) is B = x % 256, G = y % 256, R = (x + y) % 256. */
function gradient(width: number, height: number): RawFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([x % 256, y % 256, (x + y) % 256], (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

function solid(width: number, height: number, bgr: [number, number, number]): RawFrame {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(bgr, i);
  return { width, height, data };
}

/** Value of channel plane c at (x, y) in a letterboxed input. */
function at(out: Float32Array, spec: LetterboxSpec, c: number, x: number, y: number, offset = 0): number {
  return out[offset + c * spec.width * spec.height + y * spec.width + x]!;
}

describe('letterbox geometry', () => {
  it('scales by the smaller ratio and pads right and bottom for YOLOX', () => {
    expect(letterboxGeometry(768, 576, YOLOX)).toEqual({ scale: 416 / 768, padX: 0, padY: 0, sourceWidth: 768, sourceHeight: 576, resizedWidth: 416, resizedHeight: 312 });
    // 773 * (416 / 773) is 415.99999999999994 in floating point: rounded, not truncated.
    expect(letterboxGeometry(773, 512, YOLOX)).toMatchObject({ resizedWidth: 416, resizedHeight: 276 });
    expect(letterboxGeometry(576, 768, YOLOX)).toMatchObject({ resizedWidth: 312, resizedHeight: 416, padX: 0, padY: 0 });
  });

  it('centres for Ultralytics, the smaller half of odd padding first', () => {
    expect(letterboxGeometry(1280, 720, ULTRALYTICS)).toMatchObject({ scale: 0.5, resizedWidth: 640, resizedHeight: 360, padX: 0, padY: 140 });
    // 640 - 427 = 213 rows of padding: 106 above, 107 below.
    expect(letterboxGeometry(1500, 1001, ULTRALYTICS)).toMatchObject({ resizedHeight: 427, padY: 106 });
  });
});

describe('letterbox pixels', () => {
  it('copies a frame already at the resized size exactly, BGR planes on the 0-255 scale, pad 114', () => {
    const frame = gradient(416, 312);
    const out = new Float32Array(letterboxLength(YOLOX));
    letterbox(frame, YOLOX, out);
    for (const [x, y] of [[0, 0], [415, 0], [100, 200], [415, 311]] as const) {
      expect([at(out, YOLOX, 0, x, y), at(out, YOLOX, 1, x, y), at(out, YOLOX, 2, x, y)]).toEqual([x % 256, y % 256, (x + y) % 256]);
    }
    for (const [x, y] of [[0, 312], [415, 415], [200, 400]] as const) {
      expect([at(out, YOLOX, 0, x, y), at(out, YOLOX, 1, x, y), at(out, YOLOX, 2, x, y)]).toEqual([114, 114, 114]);
    }
  });

  it('writes RGB planes scaled to 0-1 and centred for Ultralytics', () => {
    const frame = solid(640, 480, [10, 20, 30]);
    const out = new Float32Array(letterboxLength(ULTRALYTICS));
    const geometry = letterbox(frame, ULTRALYTICS, out);
    expect(geometry).toEqual({ scale: 1, padX: 0, padY: 80, sourceWidth: 640, sourceHeight: 480 });
    expect(at(out, ULTRALYTICS, 0, 5, 80)).toBeCloseTo(30 / 255, 6);
    expect(at(out, ULTRALYTICS, 1, 5, 80)).toBeCloseTo(20 / 255, 6);
    expect(at(out, ULTRALYTICS, 2, 5, 80)).toBeCloseTo(10 / 255, 6);
    expect(at(out, ULTRALYTICS, 0, 5, 79)).toBeCloseTo(114 / 255, 6);
    expect(at(out, ULTRALYTICS, 0, 5, 560)).toBeCloseTo(114 / 255, 6);
    expect(at(out, ULTRALYTICS, 0, 5, 559)).toBeCloseTo(30 / 255, 6);
  });

  it('takes RGB24 frames (PPM pictures) when the frame says so, for either channel order', () => {
    const rgb: RawFrame = { ...solid(416, 416, [200, 100, 50]), pixelFormat: 'rgb24' };
    const yolox = new Float32Array(letterboxLength(YOLOX));
    letterbox(rgb, YOLOX, yolox);
    // The model gets B, G, R = 50, 100, 200 whatever the byte order of the frame.
    expect([at(yolox, YOLOX, 0, 3, 3), at(yolox, YOLOX, 1, 3, 3), at(yolox, YOLOX, 2, 3, 3)]).toEqual([50, 100, 200]);
    const v8 = new Float32Array(letterboxLength(ULTRALYTICS));
    letterbox(rgb, ULTRALYTICS, v8);
    expect([at(v8, ULTRALYTICS, 0, 3, 200), at(v8, ULTRALYTICS, 1, 3, 200), at(v8, ULTRALYTICS, 2, 3, 200)].map((v) => Math.round(v * 255))).toEqual([200, 100, 50]);
  });

  it('keeps a flat colour flat through a large downscale (weights sum to one)', () => {
    const out = new Float32Array(letterboxLength(YOLOX));
    letterbox(solid(1920, 1080, [12, 200, 255]), YOLOX, out);
    const { resizedWidth, resizedHeight } = letterboxGeometry(1920, 1080, YOLOX);
    for (let y = 0; y < resizedHeight; y += 7) {
      for (let x = 0; x < resizedWidth; x += 7) {
        expect([at(out, YOLOX, 0, x, y), at(out, YOLOX, 1, x, y), at(out, YOLOX, 2, x, y)]).toEqual([12, 200, 255]);
      }
    }
  });

  it('averages fine detail when shrinking instead of aliasing it', () => {
    // One-pixel black and white stripes, shrunk 4x: a point-sampling resize returns pure black
    // or white stripes; an antialiased one returns the grey the eye (and the model) sees.
    const frame = solid(1664, 1248, [0, 0, 0]);
    for (let y = 0; y < 1248; y++) for (let x = 0; x < 1664; x += 2) frame.data.fill(255, (y * 1664 + x) * 3, (y * 1664 + x) * 3 + 3);
    const out = new Float32Array(letterboxLength(YOLOX));
    letterbox(frame, YOLOX, out);
    for (let x = 10; x < 400; x += 13) expect(Math.abs(at(out, YOLOX, 1, x, 100) - 127.5)).toBeLessThan(3);
  });

  it('upscales small frames', () => {
    const out = new Float32Array(letterboxLength(YOLOX));
    const geometry = letterbox(gradient(208, 156), YOLOX, out);
    expect(geometry.scale).toBe(2);
    expect(at(out, YOLOX, 1, 200, 0)).toBeLessThanOrEqual(1);
    expect(at(out, YOLOX, 1, 200, 310)).toBeGreaterThanOrEqual(154);
    expect(at(out, YOLOX, 1, 200, 312)).toBe(114);
  });

  it('writes at a batch offset without touching the frames before it', () => {
    const length = letterboxLength(YOLOX);
    const out = new Float32Array(2 * length).fill(-1);
    const letterboxer = new Letterboxer(YOLOX);
    letterboxer.letterbox(solid(416, 416, [1, 2, 3]), out, length);
    expect(out.subarray(0, length).every((value) => value === -1)).toBe(true);
    expect([at(out, YOLOX, 0, 9, 9, length), at(out, YOLOX, 2, 9, 9, length)]).toEqual([1, 3]);
    // The same letterboxer takes frames of another size next (cameras differ).
    letterboxer.letterbox(solid(800, 600, [4, 5, 6]), out, 0);
    expect([at(out, YOLOX, 0, 9, 9), at(out, YOLOX, 2, 9, 9)]).toEqual([4, 6]);
  });

  it('rejects frames shorter than width * height * 3 and buffers without room', () => {
    expect(() => letterbox({ width: 10, height: 10, data: new Uint8Array(299) }, YOLOX, new Float32Array(letterboxLength(YOLOX)))).toThrow(RangeError);
    expect(() => letterbox(solid(10, 10, [0, 0, 0]), YOLOX, new Float32Array(100))).toThrow(/no room/);
    expect(() => letterbox({ width: 0, height: 10, data: new Uint8Array(0) }, YOLOX, new Float32Array(letterboxLength(YOLOX)))).toThrow(RangeError);
  });
});

describe('boxToSource', () => {
  it('undoes scale and padding, and clips to the frame', () => {
    const geometry = { scale: 0.5, padX: 0, padY: 140, sourceWidth: 1280, sourceHeight: 720 };
    expect(boxToSource(10, 150, 110, 250, geometry)).toEqual([20, 20, 220, 220]);
    expect(boxToSource(-20, 100, 700, 560, geometry)).toEqual([0, 0, 1280, 720]);
  });

  it('drops a box that lies wholly in the padding', () => {
    expect(boxToSource(10, 600, 50, 630, { scale: 0.5, padX: 0, padY: 140, sourceWidth: 1280, sourceHeight: 720 })).toBeNull();
  });
});
