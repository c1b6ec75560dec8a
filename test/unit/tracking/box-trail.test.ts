import { describe, it, expect } from 'vitest';
import type { Box } from '../../../src/shared/detection';
import { BoxTrail } from '../../../src/main/engine/tracking/box-trail';
import { bufferedIou, iou } from '../../../src/main/engine/tracking/box-overlap';

const box = (x: number): Box => [x, 0, x + 10, 10];

describe('BoxTrail', () => {
  it('keeps at most one box per interval and always ends with the last seen one', () => {
    const trail = new BoxTrail(500, 10);
    for (let at = 0; at <= 2100; at += 100) trail.add(at, box(at));
    expect(trail.finish(2100, box(2100)).map((s) => s.at)).toEqual([0, 500, 1000, 1500, 2000, 2100]);
  });

  it('when full, drops every other box and doubles the spacing, keeping first and newest', () => {
    const trail = new BoxTrail(100, 4);
    for (let at = 0; at <= 400; at += 100) trail.add(at, box(at));
    expect(trail.length).toBe(3);
    for (let at = 500; at <= 2000; at += 100) trail.add(at, box(at));
    const samples = trail.finish(2000, box(2000));
    expect(samples.length).toBeLessThanOrEqual(4);
    expect(samples[0]!.at).toBe(0);
    expect(samples.at(-1)!.at).toBe(2000);
  });

  it('hands out copies, not its own boxes', () => {
    const trail = new BoxTrail(100, 10);
    const original = box(0);
    trail.add(0, original);
    original[0] = 999;
    const [sample] = trail.finish(0, original);
    expect(sample!.box[0]).toBe(0);
  });
});

describe('box overlap', () => {
  it('iou of equal, half-overlapping, disjoint and degenerate boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3, 9);
    expect(iou([0, 0, 10, 10], [20, 0, 30, 10])).toBe(0);
    expect(iou([0, 0, 0, 10], [0, 0, 10, 10])).toBe(0);
  });

  it('buffered iou lets boxes a little apart meet, more so with a larger buffer', () => {
    const a: Box = [0, 0, 10, 10];
    const b: Box = [12, 0, 22, 10];
    expect(iou(a, b)).toBe(0);
    expect(bufferedIou(a, b, 0.3)).toBeGreaterThan(0);
    expect(bufferedIou(a, b, 0.5)).toBeGreaterThan(bufferedIou(a, b, 0.3));
    expect(bufferedIou(a, b, 0)).toBe(0);
  });
});
