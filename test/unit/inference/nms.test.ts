import { describe, expect, it } from 'vitest';
import type { Box } from '../../../src/shared/detection';
import { iou, suppressOverlaps } from '../../../src/main/engine/inference/nms';

const at = (x: number, y: number, size = 100): Box => [x, y, x + size, y + size];

describe('iou', () => {
  it('is 1 for the same box, 0 for disjoint or touching boxes, overlap / union otherwise', () => {
    expect(iou(at(0, 0), at(0, 0))).toBe(1);
    expect(iou(at(0, 0), at(100, 0))).toBe(0);
    expect(iou(at(0, 0), at(300, 300))).toBe(0);
    // Half overlapping: 5000 / 15000.
    expect(iou(at(0, 0), at(50, 0))).toBeCloseTo(1 / 3, 10);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('suppressOverlaps', () => {
  it('keeps the best of overlapping boxes of one class, best first', () => {
    const kept = suppressOverlaps(
      [
        { classId: 0, score: 0.6, box: at(10, 0) },
        { classId: 0, score: 0.9, box: at(0, 0) },
        { classId: 0, score: 0.7, box: at(400, 0) },
      ],
      0.45,
    );
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });

  it('does not suppress across classes', () => {
    const kept = suppressOverlaps(
      [
        { classId: 0, score: 0.9, box: at(0, 0) },
        { classId: 2, score: 0.8, box: at(0, 0) },
      ],
      0.45,
    );
    expect(kept.map((k) => k.classId)).toEqual([0, 2]);
  });

  it('keeps overlaps at or under the threshold', () => {
    // IoU 1/3 between these two.
    expect(suppressOverlaps([{ classId: 0, score: 0.9, box: at(0, 0) }, { classId: 0, score: 0.8, box: at(50, 0) }], 0.45)).toHaveLength(2);
    expect(suppressOverlaps([{ classId: 0, score: 0.9, box: at(0, 0) }, { classId: 0, score: 0.8, box: at(50, 0) }], 0.3)).toHaveLength(1);
  });

  it('stops at maxKept', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ classId: 0, score: i / 50, box: at(i * 200, 0) }));
    const kept = suppressOverlaps(many, 0.45, 10);
    expect(kept).toHaveLength(10);
    expect(kept[0]!.score).toBe(49 / 50);
  });
});
