// Geometry of the zone editor. Pure: shapes are stored in 0-1 picture coordinates (x right,
// y down, src/shared/rules.ts); the SVG layer covers the whole <video> element, whose
// picture is letterboxed by object-fit: contain, so every conversion goes through the rect
// the picture occupies inside the element (its "content rect").
import type { PicturePoint } from '../../../shared/rules';
import { containRect, type Rect } from '../overlay/geometry';

export type { Rect } from '../overlay/geometry';

/** A point in pixels, relative to the element's top-left corner. */
export interface Px {
  x: number;
  y: number;
}

export const MIN_POLYGON_POINTS = 3;
export const MAX_POLYGON_POINTS = 64;
/** How close (px) a pointer must be to a point or an edge to grab it. */
export const HIT_RADIUS_PX = 8;
/** A line whose ends are closer than this (0-1 picture units) is refused by LineSchema. */
export const MIN_LINE_LENGTH = 0.01;

/**
 * The content rect of a picture in an element of `boxWidth x boxHeight` (object-fit: contain).
 * Before the video knows its size, `fallbackAspect` (width / height) stands in for it.
 */
export function pictureRect(boxWidth: number, boxHeight: number, videoWidth: number, videoHeight: number, fallbackAspect = 16 / 9): Rect {
  if (videoWidth > 0 && videoHeight > 0) return containRect(boxWidth, boxHeight, videoWidth, videoHeight);
  return containRect(boxWidth, boxHeight, fallbackAspect, 1);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Rounds to 4 decimals (a 10000-px picture's resolution), so saved shapes stay short. */
export function roundUnit(v: number): number {
  return Math.round(clamp01(v) * 10_000) / 10_000;
}

/**
 * A pointer position in client pixels -> 0-1 picture coordinates, clamped to the picture
 * (a click on the letterbox bars lands on the nearest picture edge). `element` is the
 * element's client rect (getBoundingClientRect), `content` its content rect.
 */
export function clientToPicture(clientX: number, clientY: number, element: Pick<Rect, 'x' | 'y'>, content: Rect): PicturePoint {
  if (!(content.width > 0) || !(content.height > 0)) return [0, 0];
  const x = (clientX - element.x - content.x) / content.width;
  const y = (clientY - element.y - content.y) / content.height;
  return [roundUnit(x), roundUnit(y)];
}

/** True when a client position lies on the picture itself, not on a letterbox bar. */
export function isOnPicture(clientX: number, clientY: number, element: Pick<Rect, 'x' | 'y'>, content: Rect): boolean {
  const x = clientX - element.x - content.x;
  const y = clientY - element.y - content.y;
  return x >= 0 && y >= 0 && x <= content.width && y <= content.height;
}

/** 0-1 picture coordinates -> pixels relative to the element. */
export function pictureToPx(point: PicturePoint, content: Rect): Px {
  return { x: content.x + point[0] * content.width, y: content.y + point[1] * content.height };
}

export function distance(a: Px, b: Px): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Index of the point nearest `at` within `radius` px, or -1. The last drawn wins ties (it is on top). */
export function hitPoint(points: readonly Px[], at: Px, radius = HIT_RADIUS_PX): number {
  let best = -1;
  let bestDistance = radius;
  for (let i = 0; i < points.length; i++) {
    const d = distance(points[i]!, at);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}

/** The nearest point to `p` on the segment a-b, and where on it (t in 0-1). */
export function projectOnSegment(p: Px, a: Px, b: Px): { point: Px; t: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return { point: { x: a.x + t * dx, y: a.y + t * dy }, t };
}

export interface EdgeHit {
  /** The edge from points[index] to points[index + 1] (wrapping to 0 when closed). */
  index: number;
  t: number;
  point: Px;
  distance: number;
}

/** The nearest edge within `radius` px of `at`; null when none is. Closed polygons include the last-to-first edge. */
export function hitEdge(points: readonly Px[], at: Px, closed: boolean, radius = HIT_RADIUS_PX): EdgeHit | null {
  const edges = closed ? points.length : points.length - 1;
  if (points.length < 2) return null;
  let best: EdgeHit | null = null;
  for (let i = 0; i < edges; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    const { point, t } = projectOnSegment(at, a, b);
    const d = distance(point, at);
    if (d <= radius && (!best || d < best.distance)) best = { index: i, t, point, distance: d };
  }
  return best;
}

/** Even-odd point-in-polygon test (any units). */
export function insidePolygon(points: readonly Px[], at: Px): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i]!;
    const b = points[j]!;
    if (a.y > at.y !== b.y > at.y && at.x < ((b.x - a.x) * (at.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

// ---- polygon drawing ------------------------------------------------------------------

export type DraftClick =
  /** The point was added; keep drawing. */
  | { action: 'add'; points: PicturePoint[] }
  /** The polygon is finished with these points. */
  | { action: 'close'; points: PicturePoint[] }
  /** Nothing happened, and why (too few points to close, too many to add, a repeated point). */
  | { action: 'ignore'; reason: string };

export function canClosePolygon(points: readonly PicturePoint[]): boolean {
  return points.length >= MIN_POLYGON_POINTS && points.length <= MAX_POLYGON_POINTS;
}

/**
 * A click while drawing a polygon. `draftPx` are the draft's points in element pixels and
 * `atPx` the click there. Clicking the first point closes the polygon (once it has three);
 * clicking the last point again is ignored (the first click of a double-click adds it);
 * the 64th point closes the polygon by itself.
 */
export function draftClick(draft: readonly PicturePoint[], point: PicturePoint, draftPx: readonly Px[], atPx: Px, radius = HIT_RADIUS_PX): DraftClick {
  if (draftPx.length > 0 && distance(draftPx[0]!, atPx) <= radius) {
    if (canClosePolygon(draft)) return { action: 'close', points: [...draft] };
    return { action: 'ignore', reason: `a zone needs at least ${MIN_POLYGON_POINTS} points` };
  }
  if (draftPx.length > 0 && distance(draftPx[draftPx.length - 1]!, atPx) <= radius / 2) return { action: 'ignore', reason: 'same point as the last one' };
  if (draft.length >= MAX_POLYGON_POINTS) return { action: 'ignore', reason: `a zone has at most ${MAX_POLYGON_POINTS} points` };
  const points = [...draft, point];
  if (points.length === MAX_POLYGON_POINTS) return { action: 'close', points };
  return { action: 'add', points };
}

/**
 * Double-click finishes the polygon. The double-click's own clicks already added its point
 * (once: the second click repeats the last point and is ignored).
 */
export function draftDoubleClick(draft: readonly PicturePoint[]): DraftClick {
  if (canClosePolygon(draft)) return { action: 'close', points: [...draft] };
  return { action: 'ignore', reason: `a zone needs at least ${MIN_POLYGON_POINTS} points` };
}

/** The polygon without point `index`; null when that would leave fewer than three points. */
export function removePoint(points: readonly PicturePoint[], index: number): PicturePoint[] | null {
  if (index < 0 || index >= points.length || points.length <= MIN_POLYGON_POINTS) return null;
  return points.filter((_, i) => i !== index);
}

/** The polygon with `point` inserted after point `edgeIndex` (on that edge); null when it is full. */
export function insertPoint(points: readonly PicturePoint[], edgeIndex: number, point: PicturePoint): PicturePoint[] | null {
  if (points.length >= MAX_POLYGON_POINTS || edgeIndex < 0 || edgeIndex >= points.length) return null;
  return [...points.slice(0, edgeIndex + 1), point, ...points.slice(edgeIndex + 1)];
}

/** Moves every point by (dx, dy) picture units, kept inside the picture as a whole. */
export function translatePoints(points: readonly PicturePoint[], dx: number, dy: number): PicturePoint[] {
  if (points.length === 0) return [];
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const cx = Math.max(-Math.min(...xs), Math.min(1 - Math.max(...xs), dx));
  const cy = Math.max(-Math.min(...ys), Math.min(1 - Math.max(...ys), dy));
  return points.map(([x, y]) => [roundUnit(x + cx), roundUnit(y + cy)] as PicturePoint);
}

// ---- lines ----------------------------------------------------------------------------

export function lineLength(a: PicturePoint, b: PicturePoint): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}

export interface LineMarks {
  mid: Px;
  /** Unit vector (px) pointing to side 'a': left of p1 -> p2 as seen on screen (y down). */
  normalA: Px;
  /** Where the 'a' and 'b' labels go. */
  labelA: Px;
  labelB: Px;
  /** Arrow heads along p1 -> p2 (for the drawn direction) at the middle. */
  along: Px;
}

/**
 * Marks of a line drawn from `p1` to `p2` (element pixels). Side 'a' is on the left of the
 * walk p1 -> p2 on screen: with y down, the left normal of (dx, dy) is (dy, -dx), so a
 * line drawn left to right has 'a' above it and one drawn downwards has 'a' on its right.
 */
export function lineMarks(p1: Px, p2: Px, offset = 16): LineMarks {
  const dx = p2.x - p1.x;
  const dy = p2.y - p1.y;
  const len = Math.hypot(dx, dy) || 1;
  const along = { x: dx / len, y: dy / len };
  const normalA = { x: along.y, y: -along.x };
  const mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
  return {
    mid,
    normalA,
    along,
    labelA: { x: mid.x + normalA.x * offset, y: mid.y + normalA.y * offset },
    labelB: { x: mid.x - normalA.x * offset, y: mid.y - normalA.y * offset },
  };
}

/** Which side of the line p1 -> p2 a point is on: 'a' (left on screen), 'b', or null on it. */
export function sideOf(p1: Px, p2: Px, at: Px): 'a' | 'b' | null {
  // Cross product of (p2 - p1) x (at - p1); with y down, negative means left on screen.
  const cross = (p2.x - p1.x) * (at.y - p1.y) - (p2.y - p1.y) * (at.x - p1.x);
  if (cross === 0) return null;
  return cross < 0 ? 'a' : 'b';
}

/** SVG path of an arrow head at `tip` pointing along unit vector `dir`. */
export function arrowHead(tip: Px, dir: Px, size = 9): string {
  const back = { x: tip.x - dir.x * size, y: tip.y - dir.y * size };
  const n = { x: -dir.y * size * 0.55, y: dir.x * size * 0.55 };
  const f = (v: number) => v.toFixed(1);
  return `M${f(tip.x)},${f(tip.y)} L${f(back.x + n.x)},${f(back.y + n.y)} L${f(back.x - n.x)},${f(back.y - n.y)} Z`;
}

/** The SVG `points` attribute of a shape in element pixels. */
export function svgPoints(points: readonly Px[]): string {
  return points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
