import { describe, expect, it } from 'vitest';
import type { ModelManifestEntry } from '../../../src/shared/detection';
import { createAdapter } from '../../../src/main/engine/inference/adapters/adapter';
import { UltralyticsAdapter } from '../../../src/main/engine/inference/adapters/ultralytics';
import { letterboxGeometry } from '../../../src/main/engine/inference/letterbox';

const LABELS = ['person', 'bicycle', 'car', ...Array.from({ length: 77 }, (_, i) => `class${i + 3}`)];
const ENTRY: ModelManifestEntry = { id: 'yolov8-test', file: 'y.onnx', format: 'ultralytics', inputSize: [640, 640], labels: LABELS, licence: 'test', sourceUrl: '', sha256: '' };
const OPTIONS = { scoreThreshold: 0.35, iouThreshold: 0.45 };

/** A [1, 84, n] output, channel-major: boxes[i] = cx, cy, w, h (input pixels) and class scores. */
function output(boxes: { cx: number; cy: number; w: number; h: number; scores: Record<number, number> }[]): { data: Float32Array; dims: number[] } {
  const n = boxes.length;
  const data = new Float32Array(84 * n);
  boxes.forEach((box, i) => {
    data[i] = box.cx;
    data[n + i] = box.cy;
    data[2 * n + i] = box.w;
    data[3 * n + i] = box.h;
    for (const [classId, score] of Object.entries(box.scores)) data[(4 + Number(classId)) * n + i] = score;
  });
  return { data, dims: [1, 84, n] };
}

describe('Ultralytics decoding', () => {
  const adapter = createAdapter(ENTRY);
  // 1280x720 into 640x640, centred: scale 0.5, 140 rows of padding above.
  const geometry = letterboxGeometry(1280, 720, adapter.letterbox);

  it('is chosen by format and feeds RGB 0-1, centred', () => {
    expect(adapter).toBeInstanceOf(UltralyticsAdapter);
    expect(adapter.letterbox).toMatchObject({ width: 640, height: 640, placement: 'center', channels: 'rgb', valueScale: 1 / 255, padValue: 114 });
    expect(geometry).toMatchObject({ scale: 0.5, padX: 0, padY: 140 });
  });

  it('maps centre boxes in input pixels back to source pixels, best class, no objectness', () => {
    const { data, dims } = output([
      { cx: 320, cy: 320, w: 100, h: 200, scores: { 0: 0.9, 2: 0.3 } },
      { cx: 50, cy: 200, w: 40, h: 20, scores: { 2: 0.6 } },
      { cx: 500, cy: 500, w: 40, h: 40, scores: { 1: 0.2 } },
    ]);
    const found = adapter.decode(data, dims, 0, geometry, OPTIONS);
    expect(found).toEqual([
      { label: 'person', classId: 0, score: expect.closeTo(0.9, 6), box: [540, 160, 740, 560] },
      { label: 'car', classId: 2, score: expect.closeTo(0.6, 6), box: [60, 100, 140, 140] },
    ]);
  });

  it('suppresses overlaps per class only', () => {
    const { data, dims } = output([
      { cx: 300, cy: 300, w: 100, h: 100, scores: { 0: 0.8 } },
      { cx: 305, cy: 300, w: 100, h: 100, scores: { 0: 0.7 } },
      { cx: 300, cy: 305, w: 100, h: 100, scores: { 2: 0.6 } },
      { cx: 450, cy: 300, w: 100, h: 100, scores: { 0: 0.5 } },
    ]);
    const found = adapter.decode(data, dims, 0, geometry, OPTIONS);
    expect(found.map((d) => [d.label, Number(d.score.toFixed(2))])).toEqual([
      ['person', 0.8],
      ['car', 0.6],
      ['person', 0.5],
    ]);
  });

  it('reads the requested frame of a batch', () => {
    const first = output([{ cx: 100, cy: 300, w: 50, h: 50, scores: { 0: 0.9 } }]);
    const second = output([{ cx: 400, cy: 300, w: 50, h: 50, scores: { 2: 0.9 } }]);
    const data = new Float32Array([...first.data, ...second.data]);
    expect(adapter.decode(data, [2, 84, 1], 1, geometry, OPTIONS)).toMatchObject([{ label: 'car', box: [750, 270, 850, 370] }]);
    expect(adapter.decode(data, [2, 84, 1], 0, geometry, OPTIONS)).toMatchObject([{ label: 'person' }]);
  });

  it('checks shapes: [batch, 4 + classes, boxes], any number of boxes', () => {
    expect(adapter.checkShapes([1, 3, 640, 640], [1, 84, 8400])).toBeNull();
    expect(adapter.checkShapes(['batch', 3, 'height', 'width'], ['batch', 84, 'anchors'])).toBeNull();
    expect(adapter.checkShapes([1, 3, 640, 640], [1, 300, 6])).toBe('output [1, 300, 6] is not [batch, 84, boxes] (Ultralytics with 80 labels, exported without NMS)');
    expect(adapter.checkShapes([1, 3, 640, 640], [1, 116, 8400])).toMatch(/is not \[batch, 84, boxes\]/);
    expect(adapter.checkShapes([1, 3, 416, 416], [1, 84, 3549])).toBe('input [1, 3, 416, 416] is not [batch, 3, 640, 640]');
    expect(() => adapter.decode(new Float32Array(85 * 2), [1, 85, 2], 0, geometry, OPTIONS)).toThrow(RangeError);
  });
});
