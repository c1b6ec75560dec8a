// Which point of a box is "where the object is". Zones and lines are drawn on the ground of
// the scene (a yard, a doorway, a kerb), but a camera looks down at an angle: the centre of a
// standing person's box is a metre above the ground and, in the picture, lies over ground
// well behind them, so a person outside a zone drawn on the floor would be "inside" it. The
// bottom centre of the box, where feet and tyres touch the ground, is on the plane the zone
// was drawn on.
import type { Box } from '../../../shared/detection';
import type { PicturePoint } from '../../../shared/rules';

/**
 * Labels that stand on the ground (COCO names as the shipped models use them). Anything else
 * (a kite, a ball, a bag held at waist height) has no footprint in the picture, and its box
 * centre is the better guess.
 */
const GROUNDED = new Set([
  'person',
  'bicycle',
  'car',
  'motorcycle',
  'motorbike',
  'bus',
  'truck',
  'train',
  'boat',
  'dog',
  'cat',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'van',
]);

/**
 * The object's position in 0-1 picture coordinates: the feet point for grounded labels.
 * Clamped to the picture, because a detector's box often ends a pixel past the border, and a
 * zone drawn up to the border must still contain someone standing at the very bottom.
 */
export function objectPosition(box: Box, label: string, frameWidth: number, frameHeight: number): PicturePoint {
  const [x1, y1, x2, y2] = box;
  const x = (x1 + x2) / 2 / frameWidth;
  const y = (GROUNDED.has(label) ? y2 : (y1 + y2) / 2) / frameHeight;
  return [clamp01(x), clamp01(y)];
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
