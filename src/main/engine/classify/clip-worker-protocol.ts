// Messages between the engine and its clip worker process.
import type { DetectReason } from '../../../shared/reasons';
import type { ClipModelEntry } from './clip-model-spec';
import type { ClipFrame } from './clip-tensor';

export type ToClipWorker =
  | { type: 'load'; entry: ClipModelEntry; file: string; providers: string[]; threads: number }
  /** `frames`: crops of any size; the worker resizes them to the model's input. */
  | { type: 'classify'; clip: number; frames: ClipFrame[] }
  /** For tests: makes the worker die the way a native crash would. */
  | { type: 'crash' };

export type FromClipWorker =
  | { type: 'ready'; provider: string; fallbacks: { provider: string; reason: string; tried: boolean }[] }
  | { type: 'load-failed'; code: DetectReason; message: string }
  /** One score per label of the model, in the manifest's order. */
  | { type: 'result'; clip: number; scores: number[]; inferMs: number }
  | { type: 'clip-failed'; clip: number; code: DetectReason | null; message: string };
