// Line geometry for tripwires. Side 'a' is the left of the segment walked from its first
// point to its second, as seen on screen (see CrossingDirectionSchema). Distances are in
// pixels, not 0-1 units, because a 0-1 unit is longer across a 16:9 picture than down it and
// the crossing margin must mean the same distance whichever way the line runs.

export type LineSide = 'a' | 'b';
export type Pixel = [x: number, y: number];

/**
 * Signed distance of `point` from the infinite line through p1 and p2: positive on side 'a',
 * negative on side 'b', 0 on the line. With y pointing down, the screen's left of p1->p2 is
 * where the 2-D cross product (p2 - p1) x (point - p1) is negative.
 */
export function signedDistance(p1: Pixel, p2: Pixel, point: Pixel): number {
  const dx = p2[0] - p1[0];
  const dy = p2[1] - p1[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return 0;
  return (dy * (point[0] - p1[0]) - dx * (point[1] - p1[1])) / length;
}

/**
 * The side a movement from `from` to `to` crossed the segment p1-p2 towards, or null when it
 * did not cross the segment itself: ending on the other side of the line after walking round
 * one end of it is not a crossing. Touching the line without reaching the other side is not
 * one either.
 */
export function segmentCrossing(p1: Pixel, p2: Pixel, from: Pixel, to: Pixel): 'a-to-b' | 'b-to-a' | null {
  const d1 = signedDistance(p1, p2, from);
  const d2 = signedDistance(p1, p2, to);
  if (d1 === 0 || d2 === 0 || d1 > 0 === d2 > 0) return null;
  // Where the movement meets the line, then whether that lies between the ends.
  const t = d1 / (d1 - d2);
  const x = from[0] + t * (to[0] - from[0]);
  const y = from[1] + t * (to[1] - from[1]);
  const dx = p2[0] - p1[0];
  const dy = p2[1] - p1[1];
  const along = ((x - p1[0]) * dx + (y - p1[1]) * dy) / (dx * dx + dy * dy);
  if (!(along >= 0 && along <= 1)) return null;
  return d1 > 0 ? 'a-to-b' : 'b-to-a';
}
