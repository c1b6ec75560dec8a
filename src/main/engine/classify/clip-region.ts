// What part of the picture goes into a clip, and the copy of just that part. A whole-picture
// rule's clip follows the group of people close together; a zone rule's clip is its zone. Only
// the crop is copied out of the analysed picture: a clip never holds whole frames.
import type { Box } from '../../../shared/detection';
import type { PicturePoint } from '../../../shared/rules';
import { polygonContains } from '../rules/polygon';
import type { PictureBox } from '../rules/sighting';
import type { ClipFrame } from './clip-tensor';

/** Margin around a group, in mean box heights: room for swinging arms and a step back. */
const GROUP_MARGIN = 0.5;

/**
 * The crop around a group of boxes (source pixels) in 0-1 picture coordinates: the group and
 * its margin, widened to the picture's own aspect ratio and kept inside the picture. The
 * model resizes every clip picture to its square input the way its training pipeline resized
 * whole camera frames, so a crop shaped like the frame distorts people exactly as much as the
 * training data did.
 */
export function groupCrop(boxes: readonly Box[], width: number, height: number): PictureBox {
  const meanHeight = boxes.reduce((sum, b) => sum + (b[3] - b[1]), 0) / Math.max(1, boxes.length);
  const pad = GROUP_MARGIN * meanHeight;
  const x1 = Math.min(...boxes.map((b) => b[0])) - pad;
  const y1 = Math.min(...boxes.map((b) => b[1])) - pad;
  const x2 = Math.max(...boxes.map((b) => b[2])) + pad;
  const y2 = Math.max(...boxes.map((b) => b[3])) + pad;
  const aspect = width / height;
  let w = Math.max(x2 - x1, 1);
  let h = Math.max(y2 - y1, 1);
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  // Same aspect as the picture, so fitting the width fits the height too.
  const fit = Math.min(1, width / w);
  w *= fit;
  h *= fit;
  const cx = clamp((x1 + x2) / 2, w / 2, width - w / 2);
  const cy = clamp((y1 + y2) / 2, h / 2, height - h / 2);
  return [(cx - w / 2) / width, (cy - h / 2) / height, (cx + w / 2) / width, (cy + h / 2) / height];
}

/**
 * The crop for a zone: its bounding box. Classifier rules match a zone's scores by the crop's
 * centre (rules/classifier-watcher.ts), so for a concave zone whose box centre lies outside
 * it (an L-shaped yard) the crop is the largest box inside the bounding box centred on the
 * zone point nearest the centre.
 */
export function zoneCrop(polygon: readonly PicturePoint[]): PictureBox {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  const box: PictureBox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  if (polygonContains(polygon, cx, cy)) return box;
  const steps = 32;
  let best: PicturePoint | null = null;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const x = box[0] + ((i + 0.5) / steps) * (box[2] - box[0]);
      const y = box[1] + ((j + 0.5) / steps) * (box[3] - box[1]);
      if (!polygonContains(polygon, x, y)) continue;
      if (!best || Math.hypot(x - cx, y - cy) < Math.hypot(best[0] - cx, best[1] - cy)) best = [x, y];
    }
  }
  if (!best) return box;
  const [px, py] = best;
  const hw = Math.min(px - box[0], box[2] - px);
  const hh = Math.min(py - box[1], box[3] - py);
  return [px - hw, py - hh, px + hw, py + hh];
}

/**
 * Copies the crop `box` (0-1) out of a packed RGB24 picture: rows copied whole, no pixel
 * arithmetic on the engine's thread (the worker resizes). At least 2 x 2 pixels.
 */
export function copyCrop(picture: ClipFrame, box: PictureBox): ClipFrame {
  const { width, height, data } = picture;
  const x1 = clamp(Math.floor(box[0] * width), 0, width - 2);
  const y1 = clamp(Math.floor(box[1] * height), 0, height - 2);
  const x2 = clamp(Math.ceil(box[2] * width), x1 + 2, width);
  const y2 = clamp(Math.ceil(box[3] * height), y1 + 2, height);
  const w = x2 - x1;
  const h = y2 - y1;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const from = ((y1 + y) * width + x1) * 3;
    out.set(data.subarray(from, from + w * 3), y * w * 3);
  }
  return { width: w, height: h, data: out };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
