// Where boxes go on screen. Pure: a box in pixels of the analysed picture is scaled onto the
// part of the <video> element that shows the picture (object-fit: contain letterboxes it).
import type { Box } from '../../../shared/detection';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The rect a `contentWidth x contentHeight` picture occupies inside a `boxWidth x boxHeight`
 * element with object-fit: contain (centred, aspect kept, bars on two sides).
 */
export function containRect(boxWidth: number, boxHeight: number, contentWidth: number, contentHeight: number): Rect {
  if (!(boxWidth > 0) || !(boxHeight > 0)) return { x: 0, y: 0, width: 0, height: 0 };
  if (!(contentWidth > 0) || !(contentHeight > 0)) return { x: 0, y: 0, width: boxWidth, height: boxHeight };
  const scale = Math.min(boxWidth / contentWidth, boxHeight / contentHeight);
  const width = contentWidth * scale;
  const height = contentHeight * scale;
  return { x: (boxWidth - width) / 2, y: (boxHeight - height) / 2, width, height };
}

/**
 * A box `[x1, y1, x2, y2]` in pixels of a `frameWidth x frameHeight` picture, scaled into
 * `content` and clipped to it; null when nothing of it is left (or the frame size is unknown).
 */
export function mapBox(box: Box, frameWidth: number, frameHeight: number, content: Rect): Rect | null {
  if (!(frameWidth > 0) || !(frameHeight > 0) || !(content.width > 0) || !(content.height > 0)) return null;
  const sx = content.width / frameWidth;
  const sy = content.height / frameHeight;
  const x1 = Math.max(content.x, content.x + Math.min(box[0], box[2]) * sx);
  const y1 = Math.max(content.y, content.y + Math.min(box[1], box[3]) * sy);
  const x2 = Math.min(content.x + content.width, content.x + Math.max(box[0], box[2]) * sx);
  const y2 = Math.min(content.y + content.height, content.y + Math.max(box[1], box[3]) * sy);
  if (!(x2 - x1 >= 1) || !(y2 - y1 >= 1)) return null;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/**
 * Where a caption `textWidth x textHeight` goes: on top of the box, outside it, when there is
 * room above inside `bounds`; otherwise just inside its top edge. Kept within `bounds` sideways.
 */
export function placeCaption(box: Rect, textWidth: number, textHeight: number, bounds: Rect): Rect {
  const above = box.y - textHeight;
  const y = above >= bounds.y ? above : Math.min(box.y, bounds.y + bounds.height - textHeight);
  const maxX = bounds.x + bounds.width - textWidth;
  const x = Math.max(bounds.x, Math.min(box.x, maxX));
  return { x, y, width: textWidth, height: textHeight };
}
