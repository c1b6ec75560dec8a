// Messages between the engine and its inference worker process.
import type { Detection, ModelManifestEntry } from '../../../shared/detection';
import type { DetectReason } from '../../../shared/reasons';

export interface WorkerFrame {
  /** Opaque to the worker; echoed back. */
  key: string;
  width: number;
  height: number;
  /** FFmpeg's analysis pictures are PPM, i.e. RGB; the detector takes either order. */
  pixelFormat: 'rgb24' | 'bgr24';
  data: Uint8Array;
}

export type ToWorker =
  | { type: 'load'; entry: ModelManifestEntry; file: string; providers: string[]; threads: number }
  | { type: 'detect'; batch: number; frames: WorkerFrame[]; scoreThreshold: number; iouThreshold: number }
  /** For tests: makes the worker die the way a native crash would. */
  | { type: 'crash' };

export type FromWorker =
  | { type: 'ready'; provider: string; fallbacks: { provider: string; reason: string; tried: boolean }[]; batchable: boolean; inputSize: [number, number] }
  | { type: 'load-failed'; code: DetectReason; message: string }
  | { type: 'result'; batch: number; detections: Detection[][]; inferMs: number }
  | { type: 'batch-failed'; batch: number; message: string };
