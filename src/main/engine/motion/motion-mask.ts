// Operator masks (trees, clocks, a busy road) turned into one byte per pixel, once per
// configuration, so the per-frame loop only reads a bitmap and never walks polygons.

/** A polygon in 0-1 picture coordinates, as CameraOptions.motionMasks stores it. */
export type MaskPolygon = [number, number][];

/** Even-odd rule, the one a canvas fills a polygon with, so the mask matches what the editor drew. */
function inside(polygon: MaskPolygon, x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/**
 * Writes 1 into `into` for every pixel whose centre lies inside any mask, 0 elsewhere, and
 * returns how many pixels stay watched. Sampling at the centre keeps a mask drawn on a
 * 1920-wide picture and applied to a 96-wide one where the operator put it.
 */
export function rasterizeMasks(masks: readonly MaskPolygon[], width: number, height: number, into: Uint8Array): number {
  into.fill(0);
  let watched = width * height;
  for (const polygon of masks) {
    if (polygon.length < 3) continue;
    // Only rows and columns inside the polygon's bounds can be hit.
    let minX = 1;
    let maxX = 0;
    let minY = 1;
    let maxY = 0;
    for (const [px, py] of polygon) {
      minX = Math.min(minX, px);
      maxX = Math.max(maxX, px);
      minY = Math.min(minY, py);
      maxY = Math.max(maxY, py);
    }
    const x0 = Math.max(0, Math.floor(minX * width));
    const x1 = Math.min(width - 1, Math.ceil(maxX * width));
    const y0 = Math.max(0, Math.floor(minY * height));
    const y1 = Math.min(height - 1, Math.ceil(maxY * height));
    for (let row = y0; row <= y1; row++) {
      const y = (row + 0.5) / height;
      for (let col = x0; col <= x1; col++) {
        const at = row * width + col;
        if (into[at] === 0 && inside(polygon, (col + 0.5) / width, y)) {
          into[at] = 1;
          watched--;
        }
      }
    }
  }
  return watched;
}
