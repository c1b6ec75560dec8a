// What the overlay draws for one detection frame on a canvas of a given size. Pure: the
// painter (paint.ts) only turns this plan into canvas calls.
import type { DetectionFrame } from './detection-buffer';
import { containRect, mapBox, type Rect } from './geometry';
import { caption, isDashed, isDrawn, objectColour } from './style';

export interface OverlayItem {
  rect: Rect;
  colour: string;
  caption: string;
  dashed: boolean;
  trackId: number;
}

export interface OverlayPlan {
  /** Where the picture is inside the canvas (letterboxing excluded). */
  content: Rect;
  items: OverlayItem[];
}

/**
 * Boxes of `frame` on a `cssWidth x cssHeight` canvas laid over a <video> whose picture is
 * `videoWidth x videoHeight` (0 when not known yet: the analysed frame's size is used, as
 * it has the same aspect).
 */
export function planOverlay(frame: DetectionFrame, cssWidth: number, cssHeight: number, videoWidth: number, videoHeight: number): OverlayPlan {
  const pictureWidth = videoWidth > 0 && videoHeight > 0 ? videoWidth : frame.frameWidth;
  const pictureHeight = videoWidth > 0 && videoHeight > 0 ? videoHeight : frame.frameHeight;
  const content = containRect(cssWidth, cssHeight, pictureWidth, pictureHeight);
  const items: OverlayItem[] = [];
  for (const object of frame.objects) {
    if (!isDrawn(object)) continue;
    const rect = mapBox(object.box, frame.frameWidth, frame.frameHeight, content);
    if (!rect) continue;
    items.push({ rect, colour: objectColour(object.label), caption: caption(object), dashed: isDashed(object), trackId: object.trackId });
  }
  return { content, items };
}
