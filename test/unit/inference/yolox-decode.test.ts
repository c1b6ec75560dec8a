import { describe, expect, it } from 'vitest';
import type { ModelManifestEntry } from '../../../src/shared/detection';
import { createAdapter } from '../../../src/main/engine/inference/adapters/adapter';
import { YoloxAdapter } from '../../../src/main/engine/inference/adapters/yolox';

const LABELS = ['person', 'bicycle', 'car', ...Array.from({ length: 77 }, (_, i) => `class${i + 3}`)];
const ENTRY: ModelManifestEntry = { id: 'yolox-test', file: 'x.onnx', format: 'yolox', inputSize: [416, 416], labels: LABELS, licence: 'test', sourceUrl: '', sha256: '' };
const OPTIONS = { scoreThreshold: 0.35, iouThreshold: 0.45 };
const CELLS = 52 * 52 + 26 * 26 + 13 * 13;

/** Cell index of grid position (x, y) at a stride, in YOLOX's order (stride 8, 16, 32; rows; columns). */
function cellOf(stride: 8 | 16 | 32, x: number, y: number): number {
  const before = { 8: 0, 16: 52 * 52, 32: 52 * 52 + 26 * 26 }[stride];
  return before + y * (416 / stride) + x;
}

/** Writes one prediction: offsets within the cell, size in pixels, objectness, one class probability. */
function predict(output: Float32Array, cell: number, p: { dx: number; dy: number; width: number; height: number; stride: number; objectness: number; classId: number; probability: number }): void {
  const row = cell * 85;
  output[row] = p.dx;
  output[row + 1] = p.dy;
  output[row + 2] = Math.log(p.width / p.stride);
  output[row + 3] = Math.log(p.height / p.stride);
  output[row + 4] = p.objectness;
  output[row + 5 + p.classId] = p.probability;
}

describe('YOLOX decoding', () => {
  const adapter = createAdapter(ENTRY);
  // A 832x624 camera frame letterboxed top-left into 416x416: scale 0.5, no offset.
  const geometry = { scale: 0.5, padX: 0, padY: 0, sourceWidth: 832, sourceHeight: 624 };

  it('is chosen by format and knows its grid', () => {
    expect(adapter).toBeInstanceOf(YoloxAdapter);
    expect((adapter as YoloxAdapter).cells).toBe(3549);
    expect(adapter.letterbox).toMatchObject({ width: 416, height: 416, placement: 'top-left', channels: 'bgr', valueScale: 1, padValue: 114 });
  });

  it('decodes grid offsets, log sizes and strides into boxes in source pixels', () => {
    const output = new Float32Array(CELLS * 85);
    // Stride 8, cell (10, 20): centre (10.5 * 8, 20.5 * 8) = (84, 164), 32x48 px in the input.
    predict(output, cellOf(8, 10, 20), { dx: 0.5, dy: 0.5, width: 32, height: 48, stride: 8, objectness: 0.9, classId: 2, probability: 0.8 });
    // Stride 32, cell (12, 3): centre (12.25 * 32, 3.75 * 32) = (392, 120), 40x100 px.
    predict(output, cellOf(32, 12, 3), { dx: 0.25, dy: 0.75, width: 40, height: 100, stride: 32, objectness: 0.95, classId: 0, probability: 0.9 });
    const found = adapter.decode(output, [1, CELLS, 85], 0, geometry, OPTIONS);
    expect(found).toHaveLength(2);
    const [person, car] = found;
    expect(person).toMatchObject({ label: 'person', classId: 0 });
    expect(person!.score).toBeCloseTo(0.855, 5);
    // Input box [372, 70, 412, 170] at scale 0.5 is [744, 140, 824, 340] in the frame.
    person!.box.forEach((value, i) => expect(value).toBeCloseTo([744, 140, 824, 340][i]!, 3));
    expect(car).toMatchObject({ label: 'car', classId: 2 });
    expect(car!.score).toBeCloseTo(0.72, 5);
    car!.box.forEach((value, i) => expect(value).toBeCloseTo([136, 280, 200, 376][i]!, 3));
  });

  it('scores objectness times class probability, against the threshold', () => {
    const output = new Float32Array(CELLS * 85);
    predict(output, cellOf(16, 5, 5), { dx: 0, dy: 0, width: 30, height: 30, stride: 16, objectness: 0.5, classId: 1, probability: 0.6 });
    predict(output, cellOf(16, 20, 5), { dx: 0, dy: 0, width: 30, height: 30, stride: 16, objectness: 0.3, classId: 1, probability: 1 });
    expect(adapter.decode(output, [1, CELLS, 85], 0, geometry, OPTIONS)).toEqual([]);
    expect(adapter.decode(output, [1, CELLS, 85], 0, geometry, { ...OPTIONS, scoreThreshold: 0.25 })).toHaveLength(2);
  });

  it('keeps the best class of a cell, whichever it is among all labels', () => {
    const output = new Float32Array(CELLS * 85);
    predict(output, cellOf(8, 1, 1), { dx: 0, dy: 0, width: 16, height: 16, stride: 8, objectness: 1, classId: 79, probability: 0.7 });
    output[cellOf(8, 1, 1) * 85 + 5] = 0.4;
    const [found] = adapter.decode(output, [1, CELLS, 85], 0, geometry, OPTIONS);
    expect(found).toMatchObject({ label: 'class79', classId: 79 });
  });

  it('suppresses overlapping boxes of one class, keeps other classes at the same place', () => {
    const output = new Float32Array(CELLS * 85);
    const box = { dx: 0.5, dy: 0.5, width: 64, height: 128, stride: 8 };
    predict(output, cellOf(8, 20, 20), { ...box, objectness: 0.9, classId: 0, probability: 0.9 });
    predict(output, cellOf(8, 21, 20), { ...box, objectness: 0.8, classId: 0, probability: 0.9 });
    predict(output, cellOf(8, 20, 21), { ...box, objectness: 0.8, classId: 2, probability: 0.8 });
    const found = adapter.decode(output, [1, CELLS, 85], 0, geometry, OPTIONS);
    expect(found.map((d) => [d.label, Number(d.score.toFixed(2))])).toEqual([
      ['person', 0.81],
      ['car', 0.64],
    ]);
  });

  it('reads the requested frame of a batch and clips boxes to the frame', () => {
    const output = new Float32Array(2 * CELLS * 85);
    predict(output.subarray(CELLS * 85), cellOf(32, 12, 12), { dx: 0.9, dy: 0.9, width: 200, height: 200, stride: 32, objectness: 1, classId: 0, probability: 1 });
    expect(adapter.decode(output, [2, CELLS, 85], 0, geometry, OPTIONS)).toEqual([]);
    const [found] = adapter.decode(output, [2, CELLS, 85], 1, { scale: 1, padX: 0, padY: 0, sourceWidth: 416, sourceHeight: 416 }, OPTIONS);
    expect(found!.box[2]).toBe(416);
    expect(found!.box[3]).toBe(416);
  });

  it('refuses output dims that are not this model', () => {
    expect(() => adapter.decode(new Float32Array(10), [1, 10], 0, geometry, OPTIONS)).toThrow(RangeError);
    expect(() => adapter.decode(new Float32Array(CELLS * 85), [1, CELLS, 85], 1, geometry, OPTIONS)).toThrow(/frame 1/);
  });

  it('checks session shapes, accepting dynamic dimensions', () => {
    expect(adapter.checkShapes([1, 3, 416, 416], [1, 3549, 85])).toBeNull();
    expect(adapter.checkShapes(['batch', 3, 416, 416], ['batch', 3549, 85])).toBeNull();
    expect(adapter.checkShapes([1, 3, 416, 416], [1, 10])).toBe('output [1, 10] is not [batch, 3549, 85] (YOLOX at 416x416 with 80 labels)');
    expect(adapter.checkShapes([1, 3, 640, 640], [1, 8400, 85])).toBe('input [1, 3, 640, 640] is not [batch, 3, 416, 416]');
    expect(adapter.checkShapes([1, 3, 416, 416], [1, 3549, 25])).toMatch(/not \[batch, 3549, 85\]/);
  });
});
