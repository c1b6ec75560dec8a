import { describe, it, expect } from 'vitest';
import { polygonContains } from '../../../src/main/engine/rules/polygon';
import { objectPosition } from '../../../src/main/engine/rules/object-position';
import { segmentCrossing, signedDistance, type Pixel } from '../../../src/main/engine/rules/line-side';
import type { PicturePoint } from '../../../src/shared/rules';

const square: PicturePoint[] = [
  [0.2, 0.2],
  [0.6, 0.2],
  [0.6, 0.6],
  [0.2, 0.6],
];

// A "U" open at the top: the notch between its arms is outside although inside its bounds.
const u: PicturePoint[] = [
  [0.1, 0.1],
  [0.3, 0.1],
  [0.3, 0.6],
  [0.7, 0.6],
  [0.7, 0.1],
  [0.9, 0.1],
  [0.9, 0.9],
  [0.1, 0.9],
];

describe('polygonContains', () => {
  it('tells inside from outside for a convex zone', () => {
    expect(polygonContains(square, 0.4, 0.4)).toBe(true);
    expect(polygonContains(square, 0.1, 0.4)).toBe(false);
    expect(polygonContains(square, 0.4, 0.7)).toBe(false);
  });

  it('follows a concave zone into its arms and not into its notch', () => {
    expect(polygonContains(u, 0.2, 0.3)).toBe(true); // left arm
    expect(polygonContains(u, 0.8, 0.3)).toBe(true); // right arm
    expect(polygonContains(u, 0.5, 0.8)).toBe(true); // base
    expect(polygonContains(u, 0.5, 0.3)).toBe(false); // notch
    // A ray from the notch passes exactly through the vertices at y = 0.6 and the arm tops at 0.1.
    expect(polygonContains(u, 0.5, 0.6)).toBe(true); // on the notch's bottom edge
    expect(polygonContains(u, 0.05, 0.6)).toBe(false);
    expect(polygonContains(u, 0.95, 0.1)).toBe(false);
  });

  it('counts points on edges and vertices as inside, whichever edge', () => {
    for (const [x, y] of [
      [0.2, 0.4],
      [0.6, 0.4],
      [0.4, 0.2],
      [0.4, 0.6],
      [0.2, 0.2],
      [0.6, 0.6],
    ] as const) {
      expect(polygonContains(square, x, y), `${x},${y}`).toBe(true);
    }
    expect(polygonContains(square, 0.6 + 1e-3, 0.4)).toBe(false);
  });

  it('is the same for a polygon given clockwise or anticlockwise', () => {
    const reversed = [...u].reverse();
    for (let x = 0.05; x < 1; x += 0.1) {
      for (let y = 0.05; y < 1; y += 0.1) expect(polygonContains(reversed, x, y)).toBe(polygonContains(u, x, y));
    }
  });

  it('fills a self-crossing (bow-tie) zone by the even-odd rule, as the canvas does', () => {
    const bowTie: PicturePoint[] = [
      [0.1, 0.1],
      [0.9, 0.9],
      [0.9, 0.1],
      [0.1, 0.9],
    ];
    expect(polygonContains(bowTie, 0.8, 0.5)).toBe(true);
    expect(polygonContains(bowTie, 0.5, 0.2)).toBe(false);
  });

  it('contains nothing when degenerate, and never a NaN point', () => {
    expect(polygonContains(square.slice(0, 2), 0.4, 0.2)).toBe(false);
    expect(polygonContains(square, Number.NaN, 0.4)).toBe(false);
  });
});

describe('objectPosition', () => {
  it('uses the feet point for people and vehicles, the centre for other things', () => {
    expect(objectPosition([600, 200, 680, 500], 'person', 1280, 720)).toEqual([0.5, 500 / 720]);
    expect(objectPosition([100, 300, 400, 500], 'car', 1000, 1000)).toEqual([0.25, 0.5]);
    expect(objectPosition([100, 300, 200, 400], 'sports ball', 1000, 1000)).toEqual([0.15, 0.35]);
  });

  it('clamps a box that ends past the border onto the picture', () => {
    expect(objectPosition([600, 500, 680, 722], 'person', 1280, 720)[1]).toBe(1);
  });
});

describe('line sides and crossings', () => {
  // Drawn left to right along y = 100: 'a' is above it on screen (smaller y).
  const p1: Pixel = [0, 100];
  const p2: Pixel = [200, 100];

  it("puts side 'a' on the screen-left of the segment's direction", () => {
    expect(signedDistance(p1, p2, [50, 90])).toBeCloseTo(10, 9);
    expect(signedDistance(p1, p2, [50, 130])).toBeCloseTo(-30, 9);
    // Drawn top to bottom, walking down the screen: the left hand is on the screen's right.
    expect(signedDistance([100, 0], [100, 200], [110, 50])).toBeGreaterThan(0);
  });

  it('reports the direction of a crossing through the segment', () => {
    expect(segmentCrossing(p1, p2, [50, 80], [60, 120])).toBe('a-to-b');
    expect(segmentCrossing(p1, p2, [60, 120], [50, 80])).toBe('b-to-a');
  });

  it('does not count walking round an end, staying on one side, or touching the line', () => {
    expect(segmentCrossing(p1, p2, [250, 80], [260, 120])).toBeNull();
    expect(segmentCrossing(p1, p2, [50, 80], [60, 90])).toBeNull();
    expect(segmentCrossing(p1, p2, [50, 80], [60, 100])).toBeNull();
  });

  it('counts a crossing exactly through an end point', () => {
    expect(segmentCrossing(p1, p2, [200, 90], [200, 110])).toBe('a-to-b');
  });
});
