// Draws the tracked objects' boxes into a copy of an analysed RGB picture, for the snapshot
// an incident keeps of the moment it was raised. Plain pixel writes: a handful of rectangle
// outlines costs microseconds, far less than the JPEG encode that follows.
import type { Box } from '../../../shared/detection';

export interface RgbPicture {
  width: number;
  height: number;
  /** RGB24 rows, no padding. */
  data: Uint8Array;
}

export interface FramedBox {
  /** In the picture's own pixels. */
  box: Box;
  /** The incident's own object stands out; the others are thin context. */
  highlight: boolean;
}

/** The incident's object: a red no camera scene is likely to match along a whole outline. */
export const HIGHLIGHT_RGB: readonly [number, number, number] = [255, 32, 32];
/** Everything else in view. */
export const CONTEXT_RGB: readonly [number, number, number] = [255, 214, 0];

/** Outline widths that stay visible after JPEG at any picture size (416 px: 2 and 1). */
export function lineWidths(width: number): { highlight: number; context: number } {
  return { highlight: Math.max(2, Math.round(width / 200)), context: Math.max(1, Math.round(width / 640)) };
}

function fillRect(out: RgbPicture, x1: number, y1: number, x2: number, y2: number, rgb: readonly [number, number, number]): void {
  const left = Math.max(0, x1);
  const top = Math.max(0, y1);
  const right = Math.min(out.width, x2);
  const bottom = Math.min(out.height, y2);
  for (let y = top; y < bottom; y++) {
    let at = (y * out.width + left) * 3;
    for (let x = left; x < right; x++) {
      out.data[at++] = rgb[0];
      out.data[at++] = rgb[1];
      out.data[at++] = rgb[2];
    }
  }
}

/** Draws an outline of `thickness` pixels just inside `box` (rounded to whole pixels). */
export function drawOutline(out: RgbPicture, box: Box, thickness: number, rgb: readonly [number, number, number]): void {
  const x1 = Math.round(Math.min(box[0], box[2]));
  const y1 = Math.round(Math.min(box[1], box[3]));
  const x2 = Math.round(Math.max(box[0], box[2]));
  const y2 = Math.round(Math.max(box[1], box[3]));
  const t = Math.max(1, Math.min(thickness, Math.ceil((x2 - x1) / 2), Math.ceil((y2 - y1) / 2)));
  if (x2 <= x1 || y2 <= y1) return;
  fillRect(out, x1, y1, x2, y1 + t, rgb);
  fillRect(out, x1, y2 - t, x2, y2, rgb);
  fillRect(out, x1, y1, x1 + t, y2, rgb);
  fillRect(out, x2 - t, y1, x2, y2, rgb);
}

/**
 * A new picture with the boxes drawn, cut to even sides (4:2:0 JPEG halves both), the
 * highlighted box drawn last so no context box hides it. The source is never written to: the
 * same picture may still be on its way to storage or the thumbnails.
 */
export function drawIncidentFrame(picture: RgbPicture, boxes: readonly FramedBox[]): RgbPicture {
  const width = picture.width & ~1;
  const height = picture.height & ~1;
  const data = new Uint8Array(width * height * 3);
  if (width === picture.width) data.set(picture.data.subarray(0, data.length));
  else for (let row = 0; row < height; row++) data.set(picture.data.subarray(row * picture.width * 3, row * picture.width * 3 + width * 3), row * width * 3);
  const out = { width, height, data };
  const lines = lineWidths(width);
  for (const { box } of boxes.filter((b) => !b.highlight)) drawOutline(out, box, lines.context, CONTEXT_RGB);
  for (const { box } of boxes.filter((b) => b.highlight)) drawOutline(out, box, lines.highlight, HIGHLIGHT_RGB);
  return out;
}
