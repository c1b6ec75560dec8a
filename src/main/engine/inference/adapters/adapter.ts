// What the detector needs to know about a model family: how to feed it a frame and how to
// read its output. The detector itself is format-agnostic; adding a family means adding
// one adapter here, not touching the session or batching code.
import type { Detection, ModelFormat, ModelManifestEntry } from '../../../../shared/detection';
import type { LetterboxGeometry, LetterboxSpec } from '../letterbox';
import type { TensorShape } from './tensor-shape';
import { UltralyticsAdapter } from './ultralytics';
import { YoloxAdapter } from './yolox';

export interface DecodeOptions {
  /** Minimum confidence kept (YOLOX: objectness * class probability). */
  scoreThreshold: number;
  /** Same-class boxes overlapping a better one by more than this are dropped. */
  iouThreshold: number;
  /** At most this many detections per frame, best first. */
  maxDetections?: number;
}

export interface ModelAdapter {
  readonly format: ModelFormat;
  readonly entry: ModelManifestEntry;
  /** How frames are fitted into the model input (sizes, padding, channel order, scale). */
  readonly letterbox: LetterboxSpec;
  /**
   * Checks the shapes a loaded session reports (from metadata, where dims may be dynamic).
   * Returns what is wrong in words, or null when the model fits this adapter.
   */
  checkShapes(input: TensorShape | undefined, output: TensorShape | undefined): string | null;
  /**
   * Decodes frame `batchIndex` of the output tensor (`data` with its run-time `dims`) into
   * detections in source pixels. Throws a RangeError when the dims do not fit the adapter.
   */
  decode(data: Float32Array, dims: readonly number[], batchIndex: number, geometry: LetterboxGeometry, options: DecodeOptions): Detection[];
}

/** The adapter for a manifest entry's format. */
export function createAdapter(entry: ModelManifestEntry): ModelAdapter {
  switch (entry.format) {
    case 'yolox':
      return new YoloxAdapter(entry);
    case 'ultralytics':
      return new UltralyticsAdapter(entry);
  }
}
