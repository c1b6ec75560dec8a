// How much two boxes cover each other: the only evidence the tracker has that a detection is
// the object it followed a moment ago (there is no appearance model).
import type { Box } from '../../../shared/detection';

/** Intersection over union, 0 for disjoint or degenerate boxes. */
export function iou(a: Box, b: Box): number {
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (width <= 0 || height <= 0) return 0;
  const inter = width * height;
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * IoU of both boxes grown by `scale` of their own width and height on every side (the
 * "buffered IoU" of C-BIoU, Yang et al. 2023). It lets an object that moved further than
 * the motion model guessed still meet its track, without giving up IoU's scale-awareness:
 * a small box only reaches a little further than a big one.
 */
export function bufferedIou(a: Box, b: Box, scale: number): number {
  return scale > 0 ? iou(grow(a, scale), grow(b, scale)) : iou(a, b);
}

export function area(box: Box): number {
  return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
}

function grow(box: Box, scale: number): Box {
  const dx = (box[2] - box[0]) * scale;
  const dy = (box[3] - box[1]) * scale;
  return [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy];
}
