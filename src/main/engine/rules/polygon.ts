// Zone containment. Zones are drawn on a canvas, which fills with the even-odd rule, so the
// same rule here makes a self-crossing or concave zone contain exactly what the editor shaded.
import type { PicturePoint } from '../../../shared/rules';

/**
 * How close to an edge (in 0-1 picture units, a tenth of a pixel at 8K) a point counts as on
 * it. Without it, a point on a shared edge of two zones can fall in both or neither depending
 * on float rounding.
 */
const ON_EDGE = 1e-5;

/**
 * Even-odd containment, with points on an edge or a vertex counted as inside: a zone drawn
 * right up to the picture border then contains an object standing on that border.
 */
export function polygonContains(polygon: readonly PicturePoint[], x: number, y: number): boolean {
  if (polygon.length < 3 || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (onSegment(x, y, xi, yi, xj, yj)) return true;
    // Half-open in y (yi > y !== yj > y) so a ray through a vertex counts it once, not twice.
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSq = dx * dx + dy * dy;
  if (lengthSq === 0) return Math.hypot(x - x1, y - y1) <= ON_EDGE;
  // Nearest point of the segment, then its distance.
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / lengthSq));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= ON_EDGE;
}
