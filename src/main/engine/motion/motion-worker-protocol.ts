// Messages between the engine and its motion worker thread. Frames travel as transferred
// buffers (moved, not copied); results come back as plain objects.
import type { FrameSize, MotionOptions, MotionResult } from './motion-gate';

export type ToMotionWorker =
  | { type: 'configure'; cameraId: string; size: FrameSize; options: MotionOptions }
  | { type: 'remove'; cameraId: string }
  | { type: 'frame'; cameraId: string; frame: Uint8Array; timeMs: number; size: FrameSize | null }
  /** For tests: makes the worker die the way an uncaught bug would. */
  | { type: 'crash' };

export type FromMotionWorker =
  | { type: 'result'; cameraId: string; result: MotionResult; timeMs: number }
  /** A frame (camera not configured, wrong byte count) or a configuration (bad size) refused. */
  | { type: 'rejected'; cameraId: string; reason: string; frame: boolean };
