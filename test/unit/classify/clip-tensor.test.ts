// Packing pictures into each clip layout, channel order and normalisation, and turning the
// model's output into scores: the arithmetic a wrong manifest entry would silently get wrong.
import { describe, expect, it } from 'vitest';
import type { ClipLayout } from '../../../src/main/engine/classify/clip-model-spec';
import { ClipPacker, labelScores, sigmoid, softmax, type ClipFrame } from '../../../src/main/engine/classify/clip-tensor';

const T = 2;
const W = 3;
const H = 2;

/** Picture t has pixel (x, y) = [R, G, B] = [100t + 10y + x, 1, 2] - every R value distinct. */
function clip(): ClipFrame[] {
  return Array.from({ length: T }, (_, t) => {
    const data = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.set([100 * t + 10 * y + x, 1, 2], (y * W + x) * 3);
    return { width: W, height: H, data };
  });
}

function packer(inputLayout: ClipLayout, channelOrder: 'RGB' | 'BGR' = 'RGB', normalization = { divideBy: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] }) {
  return new ClipPacker({ inputLayout, framesPerClip: T, inputSize: [W, H], channelOrder, normalization });
}

describe('ClipPacker', () => {
  it.each([
    // index of (t, c, y, x) in each layout
    ['NTHWC', (t: number, c: number, y: number, x: number) => ((t * H + y) * W + x) * 3 + c, [1, T, H, W, 3]],
    ['NTCHW', (t: number, c: number, y: number, x: number) => ((t * 3 + c) * H + y) * W + x, [1, T, 3, H, W]],
    ['NCTHW', (t: number, c: number, y: number, x: number) => ((c * T + t) * H + y) * W + x, [1, 3, T, H, W]],
  ] as const)('puts every value where %s reads it', (layout, index, dims) => {
    const p = packer(layout);
    expect(p.dims).toEqual(dims);
    const tensor = p.pack(clip());
    expect(tensor).toHaveLength(T * H * W * 3);
    for (let t = 0; t < T; t++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          expect(tensor[index(t, 0, y, x)]).toBe(100 * t + 10 * y + x);
          expect(tensor[index(t, 1, y, x)]).toBe(1);
          expect(tensor[index(t, 2, y, x)]).toBe(2);
        }
      }
    }
  });

  it('swaps red and blue for BGR models and normalises per model channel', () => {
    const tensor = packer('NCTHW', 'BGR', { divideBy: 255, mean: [0.5, 0, 0.25], std: [0.5, 1, 2] }).pack(clip());
    const plane = T * H * W;
    // Model channel 0 is blue (2 / 255), channel 2 is red.
    expect(tensor[0]).toBeCloseTo((2 / 255 - 0.5) / 0.5, 6);
    expect(tensor[plane]).toBeCloseTo(1 / 255, 6);
    expect(tensor[2 * plane + 5]).toBeCloseTo(((10 * 1 + 2) / 255 - 0.25) / 2, 6);
  });

  it('refuses a clip of the wrong length or picture size', () => {
    const p = packer('NTHWC');
    expect(() => p.pack(clip().slice(0, 1))).toThrow(/needs 2 pictures, got 1/);
    expect(() => p.pack([clip()[0]!, { width: 2, height: 2, data: new Uint8Array(12) }])).toThrow(/picture 1 is 2x2, the model takes 3x2/);
  });

  it('reuses the buffer it is given', () => {
    const p = packer('NTCHW');
    const buffer = new Float32Array(p.length);
    expect(p.pack(clip(), buffer)).toBe(buffer);
  });
});

describe('scores', () => {
  it('softmax is stable for large logits and sums to 1', () => {
    const result = softmax([1000, 1001, 999]);
    expect(result.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(result[1]).toBeCloseTo(Math.exp(1) / (1 + Math.exp(1) + Math.exp(-1)), 12);
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
  });

  it('applies softmax to logits, sigmoid to a single logit, and nothing to probabilities', () => {
    expect(labelScores([0, Math.log(3)], { labels: ['calm', 'fight'], output: 'logits' })[1]).toBeCloseTo(0.75, 12);
    expect(labelScores([2], { labels: ['fight'], output: 'logits' })[0]).toBeCloseTo(sigmoid(2), 12);
    expect(labelScores(Float32Array.from([0.25, 0.75]), { labels: ['calm', 'fight'], output: 'probabilities' })).toEqual([0.25, 0.75]);
  });

  it('refuses an output that does not hold one value per label, or is not finite', () => {
    expect(() => labelScores([0.1, 0.2, 0.7], { labels: ['calm', 'fight'], output: 'probabilities' })).toThrow(RangeError);
    expect(() => labelScores([NaN, 1], { labels: ['calm', 'fight'], output: 'logits' })).toThrow(/not finite/);
  });
});
