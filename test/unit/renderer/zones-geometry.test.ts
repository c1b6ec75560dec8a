import { describe, expect, it } from 'vitest';
import type { PicturePoint } from '../../../src/shared/rules';
import {
  arrowHead,
  clientToPicture,
  draftClick,
  draftDoubleClick,
  hitEdge,
  hitPoint,
  insertPoint,
  insidePolygon,
  isOnPicture,
  lineMarks,
  MAX_POLYGON_POINTS,
  pictureRect,
  pictureToPx,
  removePoint,
  sideOf,
  translatePoints,
  type Px,
} from '../../../src/renderer/features/zones/geometry';

describe('zones geometry: picture coordinates', () => {
  // A 1000x500 element showing a 4:3 picture: pillarboxed, 666.7 px wide, centred.
  const content = pictureRect(1000, 500, 640, 480);

  it('finds the letterboxed content rect (object-fit: contain)', () => {
    expect(content.height).toBeCloseTo(500, 6);
    expect(content.width).toBeCloseTo(666.667, 2);
    expect(content.x).toBeCloseTo(166.667, 2);
    expect(content.y).toBeCloseTo(0, 6);
    // Wide picture in a tall box: bars above and below.
    const tall = pictureRect(400, 400, 1920, 1080);
    expect(tall).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
  });

  it('uses the fallback aspect before the video knows its size', () => {
    expect(pictureRect(1600, 1000, 0, 0)).toEqual({ x: 0, y: 50, width: 1600, height: 900 });
    expect(pictureRect(1000, 1000, 0, 0, 1)).toEqual({ x: 0, y: 0, width: 1000, height: 1000 });
  });

  it('maps client px to 0-1 picture coordinates and back', () => {
    const element = { x: 20, y: 100 };
    const [x, y] = clientToPicture(20 + content.x + content.width / 4, 100 + content.height / 2, element, content);
    expect(x).toBe(0.25);
    expect(y).toBe(0.5);
    const px = pictureToPx([0.25, 0.5], content);
    expect(px.x).toBeCloseTo(content.x + content.width / 4, 6);
    expect(px.y).toBeCloseTo(250, 6);
  });

  it('clamps clicks on the bars to the picture edge and rounds to 4 decimals', () => {
    expect(clientToPicture(5, 5, { x: 0, y: 0 }, content)).toEqual([0, 0.01]);
    expect(clientToPicture(999, 600, { x: 0, y: 0 }, content)).toEqual([1, 1]);
    const [x] = clientToPicture(content.x + content.width / 3, 10, { x: 0, y: 0 }, content);
    expect(x).toBe(0.3333);
    expect(isOnPicture(5, 5, { x: 0, y: 0 }, content)).toBe(false);
    expect(isOnPicture(500, 250, { x: 0, y: 0 }, content)).toBe(true);
    expect(clientToPicture(10, 10, { x: 0, y: 0 }, { x: 0, y: 0, width: 0, height: 0 })).toEqual([0, 0]);
  });
});

describe('zones geometry: hit testing', () => {
  const square: Px[] = [
    { x: 100, y: 100 },
    { x: 200, y: 100 },
    { x: 200, y: 200 },
    { x: 100, y: 200 },
  ];

  it('hits the nearest point within the radius', () => {
    expect(hitPoint(square, { x: 103, y: 104 })).toBe(0);
    expect(hitPoint(square, { x: 197, y: 199 })).toBe(2);
    expect(hitPoint(square, { x: 150, y: 150 })).toBe(-1);
    expect(hitPoint(square, { x: 110, y: 100 }, 8)).toBe(-1);
    expect(hitPoint(square, { x: 110, y: 100 }, 12)).toBe(0);
  });

  it('hits edges, including the closing edge of a closed polygon only', () => {
    const top = hitEdge(square, { x: 150, y: 104 }, true);
    expect(top).toMatchObject({ index: 0, t: 0.5, distance: 4 });
    expect(top!.point).toEqual({ x: 150, y: 100 });
    expect(hitEdge(square, { x: 97, y: 150 }, true)).toMatchObject({ index: 3 });
    expect(hitEdge(square, { x: 97, y: 150 }, false)).toBeNull();
    expect(hitEdge(square, { x: 150, y: 150 }, true)).toBeNull();
    expect(hitEdge([{ x: 0, y: 0 }], { x: 0, y: 0 }, false)).toBeNull();
  });

  it('tests points inside polygons', () => {
    expect(insidePolygon(square, { x: 150, y: 150 })).toBe(true);
    expect(insidePolygon(square, { x: 250, y: 150 })).toBe(false);
    const l: Px[] = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 4 },
      { x: 4, y: 4 },
      { x: 4, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(insidePolygon(l, { x: 2, y: 8 })).toBe(true);
    expect(insidePolygon(l, { x: 8, y: 8 })).toBe(false);
  });
});

describe('zones geometry: drawing polygons', () => {
  const px = (p: PicturePoint): Px => ({ x: p[0] * 1000, y: p[1] * 1000 });
  const click = (draft: PicturePoint[], p: PicturePoint) => draftClick(draft, p, draft.map(px), px(p));

  it('adds points and closes on the first point once there are three', () => {
    let draft: PicturePoint[] = [];
    for (const p of [
      [0.1, 0.1],
      [0.5, 0.1],
    ] as PicturePoint[]) {
      const r = click(draft, p);
      expect(r.action).toBe('add');
      if (r.action === 'add') draft = r.points;
    }
    // Two points: clicking the first does not close.
    expect(click(draft, [0.101, 0.1])).toEqual({ action: 'ignore', reason: 'a zone needs at least 3 points' });
    const third = click(draft, [0.5, 0.5]);
    expect(third.action).toBe('add');
    if (third.action === 'add') draft = third.points;
    expect(click(draft, [0.102, 0.099])).toEqual({ action: 'close', points: draft });
  });

  it('ignores a repeated last point (the second click of a double-click) and closes on double-click', () => {
    const draft: PicturePoint[] = [
      [0.1, 0.1],
      [0.5, 0.1],
      [0.5, 0.5],
    ];
    expect(click(draft, [0.5, 0.5])).toMatchObject({ action: 'ignore' });
    expect(draftDoubleClick(draft)).toEqual({ action: 'close', points: draft });
    expect(draftDoubleClick(draft.slice(0, 2))).toMatchObject({ action: 'ignore' });
  });

  it('closes by itself at 64 points and never goes past', () => {
    const draft: PicturePoint[] = Array.from({ length: MAX_POLYGON_POINTS - 1 }, (_, i) => [0.5 + 0.4 * Math.cos(i / 10), 0.5 + 0.4 * Math.sin(i / 10)] as PicturePoint);
    const r = click(draft, [0.5, 0.5]);
    expect(r.action).toBe('close');
    if (r.action === 'close') expect(r.points).toHaveLength(MAX_POLYGON_POINTS);
    const full = [...draft, [0.5, 0.5] as PicturePoint];
    expect(click(full, [0.2, 0.9])).toMatchObject({ action: 'ignore' });
  });

  it('removes and inserts points within 3..64', () => {
    const tri: PicturePoint[] = [
      [0, 0],
      [1, 0],
      [1, 1],
    ];
    expect(removePoint(tri, 1)).toBeNull();
    const quad: PicturePoint[] = [...tri, [0, 1]];
    expect(removePoint(quad, 1)).toEqual([
      [0, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(removePoint(quad, 9)).toBeNull();
    expect(insertPoint(tri, 0, [0.5, 0])).toEqual([
      [0, 0],
      [0.5, 0],
      [1, 0],
      [1, 1],
    ]);
    expect(insertPoint(tri, 2, [0.5, 0.5])).toEqual([...tri, [0.5, 0.5]]);
    const full = Array.from({ length: 64 }, () => [0, 0] as PicturePoint);
    expect(insertPoint(full, 0, [1, 1])).toBeNull();
  });

  it('moves whole shapes but keeps them inside the picture', () => {
    const shape: PicturePoint[] = [
      [0.1, 0.2],
      [0.3, 0.2],
      [0.3, 0.4],
    ];
    expect(translatePoints(shape, 0.1, 0.1)).toEqual([
      [0.2, 0.3],
      [0.4, 0.3],
      [0.4, 0.5],
    ]);
    expect(translatePoints(shape, -0.5, 0.9)).toEqual([
      [0, 0.8],
      [0.2, 0.8],
      [0.2, 1],
    ]);
  });
});

describe('zones geometry: lines', () => {
  it("puts side 'a' on the left of p1 -> p2 as seen on screen", () => {
    // Drawn left to right: 'a' is above (smaller y).
    const lr = lineMarks({ x: 0, y: 100 }, { x: 200, y: 100 });
    expect(lr.normalA.x).toBeCloseTo(0);
    expect(lr.normalA.y).toBe(-1);
    expect(lr.labelA.y).toBeLessThan(100);
    expect(lr.labelB.y).toBeGreaterThan(100);
    expect(sideOf({ x: 0, y: 100 }, { x: 200, y: 100 }, { x: 50, y: 10 })).toBe('a');
    // Drawn top to bottom: 'a' is on the right.
    const tb = lineMarks({ x: 100, y: 0 }, { x: 100, y: 200 });
    expect(tb.normalA).toEqual({ x: 1, y: -0 });
    expect(tb.labelA.x).toBeGreaterThan(100);
    expect(sideOf({ x: 100, y: 0 }, { x: 100, y: 200 }, { x: 150, y: 50 })).toBe('a');
    expect(sideOf({ x: 100, y: 0 }, { x: 100, y: 200 }, { x: 50, y: 50 })).toBe('b');
    expect(sideOf({ x: 100, y: 0 }, { x: 100, y: 200 }, { x: 100, y: 50 })).toBeNull();
    expect(tb.mid).toEqual({ x: 100, y: 100 });
  });

  it('draws arrow heads pointing along a direction', () => {
    expect(arrowHead({ x: 10, y: 10 }, { x: 1, y: 0 }, 10)).toBe('M10.0,10.0 L0.0,15.5 L0.0,4.5 Z');
  });
});
