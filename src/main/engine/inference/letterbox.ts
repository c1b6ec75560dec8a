// Fits a camera frame into the model's square input without distorting it: scale by the
// smaller ratio, pad the rest. Each model family was trained with its own variant and a
// model fed differently loses accuracy without any error, so placement, padding, channel
// order and value range follow each family's reference (YOLOX `preproc`, Ultralytics
// `LetterBox`). The resized size is rounded, as the golden detections were made, not
// truncated as YOLOX's Python does (773 * (416 / 773) truncates to 415).
import type { Box, Detection } from '../../../shared/detection';
import type { Scored } from './nms';
import { assertRawFrame, type RawFrame } from './raw-frame';
import { Resampler, type ResampleFilter } from './resample';

export interface LetterboxSpec {
  /** Model input size in pixels. */
  width: number;
  height: number;
  /** 'top-left' (YOLOX: padding right and bottom) or 'center' (Ultralytics: padding split). */
  placement: 'top-left' | 'center';
  /** Pad value on the 0-255 scale (both families use 114, a mid grey). */
  padValue: number;
  /** Channel order of the input planes. */
  channels: 'bgr' | 'rgb';
  /** Multiplier from 0-255 to the model's range: 1 (YOLOX) or 1/255 (Ultralytics). */
  valueScale: number;
  /** Resize filter; 'lanczos3' unless given (see resample.ts). */
  filter?: ResampleFilter;
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
  const resizedWidth = Math.min(spec.width, Math.max(1, Math.round(sourceWidth * scale)));
  const resizedHeight = Math.min(spec.height, Math.max(1, Math.round(sourceHeight * scale)));
  // Ultralytics splits odd padding with round(d - 0.1): the smaller half goes left/top.
  // (max with 0 also turns Math.round(-0.1), which is -0, into 0.)
  const padX = spec.placement === 'top-left' ? 0 : Math.max(0, Math.round((spec.width - resizedWidth) / 2 - 0.1));
  const padY = spec.placement === 'top-left' ? 0 : Math.max(0, Math.round((spec.height - resizedHeight) / 2 - 0.1));
  return { scale, padX, padY, sourceWidth, sourceHeight, resizedWidth, resizedHeight };
}

/**
 * Letterboxes frames for one model. Keeps its resampler's tables and buffers between
 * frames, so the per-frame work allocates nothing; not for use by two callers at once.
 */
export class Letterboxer {
  private readonly resampler: Resampler;

  constructor(readonly spec: LetterboxSpec) {
    this.resampler = new Resampler(spec.filter ?? 'lanczos3');
  }

  /**
   * Writes `frame` (packed BGR24, or RGB24 when it says so) letterboxed into `out` as NCHW
   * float planes starting at `offset` (batch index * letterboxLength(spec)).
   */
  letterbox(frame: RawFrame, out: Float32Array, offset = 0): LetterboxGeometry {
    assertRawFrame(frame);
    const { spec } = this;
    const plane = spec.width * spec.height;
    if (offset < 0 || offset + 3 * plane > out.length) throw new RangeError(`input buffer of ${out.length} floats has no room for a frame at offset ${offset}`);
    const geometry = letterboxGeometry(frame.width, frame.height, spec);
    const { resizedWidth, resizedHeight, padX, padY } = geometry;
    const resized = this.resampler.resize(frame.data, frame.width, frame.height, resizedWidth, resizedHeight);

    const k = spec.valueScale;
    out.fill(spec.padValue * k, offset, offset + 3 * plane);
    // The plane each byte of a pixel goes to: the first and third bytes swap places when the
    // frame's byte order differs from the model's channel order; green stays in the middle.
    const swap = (frame.pixelFormat === 'rgb24') !== (spec.channels === 'rgb');
    const first = offset + (swap ? 2 : 0) * plane;
    const second = offset + plane;
    const third = offset + (swap ? 0 : 2) * plane;
    for (let y = 0; y < resizedHeight; y++) {
      const rowStart = (y + padY) * spec.width + padX;
      let from = y * resizedWidth * 3;
      for (let x = 0; x < resizedWidth; x++, from += 3) {
        const at = rowStart + x;
        out[first + at] = resized[from]! * k;
        out[second + at] = resized[from + 1]! * k;
        out[third + at] = resized[from + 2]! * k;
      }
    }
    return { scale: geometry.scale, padX, padY, sourceWidth: frame.width, sourceHeight: frame.height };
  }
}

/** One-off letterbox (tests, tools); a Detector keeps a Letterboxer instead. */
export function letterbox(frame: RawFrame, spec: LetterboxSpec, out: Float32Array, offset = 0): LetterboxGeometry {
  return new Letterboxer(spec).letterbox(frame, out, offset);
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
