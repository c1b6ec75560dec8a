// Fits a camera frame into the model's square input without distorting it: scale by the
// smaller ratio, pad the rest. Each model family was trained with its own variant, and a
// detector fed differently loses accuracy without any error, so each detail below copies
// its reference implementation (YOLOX `preproc`, Ultralytics `LetterBox`), both of which
// resize with OpenCV's bilinear INTER_LINEAR into an 8-bit image.
import type { Box, Detection } from '../../../shared/detection';
import type { Scored } from './nms';
import { assertRawFrame, type RawFrame } from './raw-frame';

export interface LetterboxSpec {
  /** Model input size in pixels. */
  width: number;
  height: number;
  /**
   * 'top-left' (YOLOX: resized size rounded down, padding right and bottom) or 'center'
   * (Ultralytics: resized size rounded, padding split between both sides).
   */
  placement: 'top-left' | 'center';
  /** Pad value on the 0-255 scale (both families use 114, a mid grey). */
  padValue: number;
  /** Channel order of the input planes. */
  channels: 'bgr' | 'rgb';
  /** Multiplier from 0-255 to the model's range: 1 (YOLOX) or 1/255 (Ultralytics). */
  valueScale: number;
}

/** Where the source picture landed in the model input: what mapping boxes back needs. */
export interface LetterboxGeometry {
  scale: number;
  padX: number;
  padY: number;
  sourceWidth: number;
  sourceHeight: number;
}

/** Input planes a letterboxed frame fills: 3 * width * height floats. */
export function letterboxLength(spec: Pick<LetterboxSpec, 'width' | 'height'>): number {
  return 3 * spec.width * spec.height;
}

export function letterboxGeometry(sourceWidth: number, sourceHeight: number, spec: LetterboxSpec): LetterboxGeometry & { resizedWidth: number; resizedHeight: number } {
  const scale = Math.min(spec.width / sourceWidth, spec.height / sourceHeight);
  const fit = spec.placement === 'top-left' ? Math.floor : Math.round;
  const resizedWidth = Math.min(spec.width, Math.max(1, fit(sourceWidth * scale)));
  const resizedHeight = Math.min(spec.height, Math.max(1, fit(sourceHeight * scale)));
  // Ultralytics splits odd padding with round(d - 0.1): the smaller half goes left/top.
  const padX = spec.placement === 'top-left' ? 0 : Math.round((spec.width - resizedWidth) / 2 - 0.1);
  const padY = spec.placement === 'top-left' ? 0 : Math.round((spec.height - resizedHeight) / 2 - 0.1);
  return { scale, padX, padY, sourceWidth, sourceHeight, resizedWidth, resizedHeight };
}

/** Source-pixel position of the samples for each output position (OpenCV's half-pixel centres). */
function sampleTable(sourceSize: number, resizedSize: number): { low: Int32Array; high: Int32Array; weight: Float32Array } {
  const low = new Int32Array(resizedSize);
  const high = new Int32Array(resizedSize);
  const weight = new Float32Array(resizedSize);
  const ratio = sourceSize / resizedSize;
  for (let i = 0; i < resizedSize; i++) {
    const position = (i + 0.5) * ratio - 0.5;
    let base = Math.floor(position);
    let fraction = position - base;
    if (base < 0) {
      base = 0;
      fraction = 0;
    } else if (base >= sourceSize - 1) {
      base = sourceSize - 1;
      fraction = 0;
    }
    low[i] = base;
    high[i] = Math.min(base + 1, sourceSize - 1);
    weight[i] = fraction;
  }
  return { low, high, weight };
}

/**
 * Writes `frame` (packed BGR24) letterboxed into `out` as NCHW float planes starting at
 * `offset` (batch index * letterboxLength(spec)). Allocates only two small lookup tables
 * per call; no per-pixel garbage.
 */
export function letterbox(frame: RawFrame, spec: LetterboxSpec, out: Float32Array, offset = 0): LetterboxGeometry {
  assertRawFrame(frame);
  const plane = spec.width * spec.height;
  if (offset < 0 || offset + 3 * plane > out.length) throw new RangeError(`input buffer of ${out.length} floats has no room for a frame at offset ${offset}`);
  const geometry = letterboxGeometry(frame.width, frame.height, spec);
  const { resizedWidth, resizedHeight, padX, padY } = geometry;
  out.fill(spec.padValue * spec.valueScale, offset, offset + 3 * plane);

  const columns = sampleTable(frame.width, resizedWidth);
  const rows = sampleTable(frame.height, resizedHeight);
  const src = frame.data;
  const stride = frame.width * 3;
  const k = spec.valueScale;
  // Plane offsets for the B, G and R bytes of each source pixel.
  const blue = offset + (spec.channels === 'bgr' ? 0 : 2) * plane;
  const green = offset + plane;
  const red = offset + (spec.channels === 'bgr' ? 2 : 0) * plane;

  for (let y = 0; y < resizedHeight; y++) {
    const top = rows.low[y]! * stride;
    const bottom = rows.high[y]! * stride;
    const wy = rows.weight[y]!;
    const rowStart = (y + padY) * spec.width + padX;
    for (let x = 0; x < resizedWidth; x++) {
      const left = columns.low[x]! * 3;
      const right = columns.high[x]! * 3;
      const wx = columns.weight[x]!;
      const at = rowStart + x;
      out[blue + at] = bilinear(src[top + left]!, src[top + right]!, src[bottom + left]!, src[bottom + right]!, wx, wy) * k;
      out[green + at] = bilinear(src[top + left + 1]!, src[top + right + 1]!, src[bottom + left + 1]!, src[bottom + right + 1]!, wx, wy) * k;
      out[red + at] = bilinear(src[top + left + 2]!, src[top + right + 2]!, src[bottom + left + 2]!, src[bottom + right + 2]!, wx, wy) * k;
    }
  }
  return { scale: geometry.scale, padX, padY, sourceWidth: frame.width, sourceHeight: frame.height };
}

/** Rounded to a whole 0-255 value, as the references resize into an 8-bit image. */
function bilinear(topLeft: number, topRight: number, bottomLeft: number, bottomRight: number, wx: number, wy: number): number {
  const upper = topLeft + (topRight - topLeft) * wx;
  const lower = bottomLeft + (bottomRight - bottomLeft) * wx;
  return Math.floor(upper + (lower - upper) * wy + 0.5);
}

/**
 * Maps a box in model-input pixels back to source pixels, clipped to the frame. Returns
 * null when nothing of it is left inside the frame (a box wholly in the padding).
 */
export function boxToSource(x1: number, y1: number, x2: number, y2: number, geometry: LetterboxGeometry): Box | null {
  const { scale, padX, padY, sourceWidth, sourceHeight } = geometry;
  const box: Box = [
    clamp((x1 - padX) / scale, 0, sourceWidth),
    clamp((y1 - padY) / scale, 0, sourceHeight),
    clamp((x2 - padX) / scale, 0, sourceWidth),
    clamp((y2 - padY) / scale, 0, sourceHeight),
  ];
  return box[2] > box[0] && box[3] > box[1] ? box : null;
}

/**
 * Kept boxes from model-input pixels to source pixels. NMS ran before this mapping, which is
 * the same thing: the letterbox scale is uniform, so overlaps are unchanged.
 */
export function detectionsInSource(kept: readonly Scored[], labels: readonly string[], geometry: LetterboxGeometry): Detection[] {
  const detections: Detection[] = [];
  for (const { classId, score, box } of kept) {
    const source = boxToSource(box[0], box[1], box[2], box[3], geometry);
    if (source) detections.push({ label: labels[classId] ?? `class ${classId}`, classId, score, box: source });
  }
  return detections;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
