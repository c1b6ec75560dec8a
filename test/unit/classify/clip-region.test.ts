// What part of the picture a clip holds: around a group for a whole-picture rule, the zone for
// a zone rule, copied out of the analysed picture row by row.
import { describe, expect, it } from 'vitest';
import { copyCrop, groupCrop, zoneCrop } from '../../../src/main/engine/classify/clip-region';
import { polygonContains } from '../../../src/main/engine/rules/polygon';

describe('groupCrop', () => {
  it('holds the group and half a body height around it, in the picture aspect ratio', () => {
    // Two people 100 px tall in a 1280 x 720 picture.
    const [x1, y1, x2, y2] = groupCrop([[600, 300, 650, 400], [700, 310, 750, 410]], 1280, 720);
    expect(x1 * 1280).toBeLessThanOrEqual(550 + 1e-9);
    expect(x2 * 1280).toBeGreaterThanOrEqual(800 - 1e-9);
    expect(y1 * 720).toBeLessThanOrEqual(250 + 1e-9);
    expect(y2 * 720).toBeGreaterThanOrEqual(460 - 1e-9);
    expect(((x2 - x1) * 1280) / ((y2 - y1) * 720)).toBeCloseTo(1280 / 720, 6);
    // Centred on the group.
    expect(((x1 + x2) / 2) * 1280).toBeCloseTo(675, 6);
  });

  it('shifts into the picture at an edge, and never grows past it', () => {
    const [x1, y1, , y2] = groupCrop([[0, 600, 40, 720], [30, 610, 80, 720]], 1280, 720);
    expect(x1).toBeCloseTo(0, 9);
    expect(y2).toBeCloseTo(1, 9);
    expect(y1).toBeGreaterThan(0);
    const whole = groupCrop([[0, 0, 700, 720], [600, 0, 1280, 720]], 1280, 720);
    expect(whole.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0, 1, 1]);
  });
});

describe('zoneCrop', () => {
  it('is the bounding box of a zone that contains its centre', () => {
    expect(zoneCrop([[0.2, 0.3], [0.6, 0.3], [0.6, 0.9], [0.2, 0.9]])).toEqual([0.2, 0.3, 0.6, 0.9]);
  });

  it('for an L-shaped zone, is centred on a point of the zone so classifier rules find its scores', () => {
    // An L: the bottom row and the left column of a square; the square's centre is outside it.
    const l: [number, number][] = [[0, 0], [0.2, 0], [0.2, 0.8], [1, 0.8], [1, 1], [0, 1]];
    expect(polygonContains(l, 0.5, 0.5)).toBe(false);
    const [x1, y1, x2, y2] = zoneCrop(l);
    expect(polygonContains(l, (x1 + x2) / 2, (y1 + y2) / 2)).toBe(true);
    for (const v of [x1, y1]) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of [x2, y2]) expect(v).toBeLessThanOrEqual(1);
  });
});

describe('copyCrop', () => {
  it('copies exactly the crop, row by row', () => {
    const width = 4;
    const height = 3;
    const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => i);
    const crop = copyCrop({ width, height, data }, [0.25, 1 / 3, 0.75, 1]);
    expect(crop.width).toBe(2);
    expect(crop.height).toBe(2);
    // Pixels (1,1), (2,1), (1,2), (2,2).
    const at = (x: number, y: number) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    expect([...crop.data]).toEqual([...at(1, 1), ...at(2, 1), ...at(1, 2), ...at(2, 2)]);
  });

  it('is at least 2 x 2 pixels and stays inside the picture', () => {
    const crop = copyCrop({ width: 10, height: 10, data: new Uint8Array(300) }, [0.99, 0.99, 1, 1]);
    expect([crop.width, crop.height]).toEqual([2, 2]);
    expect(crop.data).toHaveLength(12);
  });
});
