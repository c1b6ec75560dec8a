// The engine's side of motion detection: one worker thread runs every camera's MotionGate,
// so pixels never occupy the main thread that serves the API and the live streams. Frames
// are transferred (moved, not copied); a camera whose frames pile up loses the newest ones
// rather than making every later result late. A worker that dies is restarted with backoff
// and given every camera's configuration again (backgrounds are relearnt in a few frames).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { backoffDelay } from '../cameras/backoff';
import type { FrameSize, MotionOptions, MotionResult } from './motion-gate';
import type { FromMotionWorker, ToMotionWorker } from './motion-worker-protocol';
import { workerScript } from '../workers/worker-script';

/** The file scripts/build.mjs must produce from motion-worker-entry.ts, beside the engine's bundle. */
export const MOTION_WORKER_BUNDLE = 'motion-worker.js';

/** Path of the worker script: out/main/motion-worker.js in the bundle, compiled from sources in tests. */
export function motionWorkerScript(): string {
  return workerScript(__dirname, MOTION_WORKER_BUNDLE, join(__dirname, 'motion-worker-entry.ts'));
}

export interface MotionWorkerOptions {
  /** Worker script; motionWorkerScript() when absent. */
  script?: string;
  /** Frames of one camera waiting in the worker before new ones are dropped (default 2). */
  maxInFlight?: number;
  log?: (line: string) => void;
}

interface CameraEntry {
  size: FrameSize;
  options: MotionOptions;
  inFlight: number;
}

export interface MotionWorkerEvents {
  result: [cameraId: string, result: MotionResult, timeMs: number];
  /** A frame the worker did not analyse (wrong byte count for the configured size, say). */
  rejected: [cameraId: string, reason: string];
}

export class MotionWorker extends EventEmitter<MotionWorkerEvents> {
  private worker: Worker | null = null;
  private readonly cameras = new Map<string, CameraEntry>();
  private readonly script: string;
  private readonly maxInFlight: number;
  private readonly log: (line: string) => void;
  private started = false;
  private stopped = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Frames dropped because the worker was behind, down, or the camera unknown. */
  dropped = 0;
  restarts = 0;

  constructor(options: MotionWorkerOptions = {}) {
    super();
    this.script = options.script ?? motionWorkerScript();
    this.maxInFlight = options.maxInFlight ?? 2;
    this.log = options.log ?? (() => {});
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.launch();
  }

  /** Adds a camera or changes its size or options; thresholds alone keep the learnt background. */
  configure(cameraId: string, size: FrameSize, options: MotionOptions): void {
    const entry = this.cameras.get(cameraId);
    if (entry) {
      entry.size = size;
      entry.options = options;
    } else {
      this.cameras.set(cameraId, { size, options, inFlight: 0 });
    }
    this.send({ type: 'configure', cameraId, size, options });
  }

  remove(cameraId: string): void {
    if (this.cameras.delete(cameraId)) this.send({ type: 'remove', cameraId });
  }

  /**
   * Hands one gray8 frame to the worker. A frame that owns its whole ArrayBuffer is
   * transferred and unusable afterwards; a view into a larger buffer (a pooled Buffer, a
   * slice of a pipe chunk) is copied first, since moving it would detach its neighbours.
   * `size` tells a resolution change; without it the configured size applies.
   * Returns false when the frame was dropped.
   */
  submit(cameraId: string, frame: Uint8Array, timeMs: number, size?: FrameSize): boolean {
    const camera = this.cameras.get(cameraId);
    if (!this.worker || !camera || camera.inFlight >= this.maxInFlight) {
      this.dropped++;
      return false;
    }
    const owned = frame.buffer instanceof ArrayBuffer && frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength;
    const data = owned ? frame : new Uint8Array(frame);
    if (size) camera.size = size;
    camera.inFlight++;
    this.worker.postMessage({ type: 'frame', cameraId, frame: data, timeMs, size: size ?? null } satisfies ToMotionWorker, [data.buffer as ArrayBuffer]);
    return true;
  }

  /** Test hook: makes the worker die mid-stream, as an uncaught bug would. */
  crash(): void {
    this.send({ type: 'crash' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private send(message: ToMotionWorker): void {
    this.worker?.postMessage(message);
  }

  private launch(): void {
    this.restartTimer = null;
    if (this.stopped) return;
    const worker = new Worker(this.script, { name: 'vigil-motion' });
    // The engine's servers keep the process alive; a forgotten stop() must not.
    worker.unref();
    this.worker = worker;
    worker.on('message', (message: FromMotionWorker) => this.onMessage(message));
    worker.on('error', (error) => this.log(`motion worker failed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(worker, code));
    for (const [cameraId, camera] of this.cameras) {
      camera.inFlight = 0;
      this.send({ type: 'configure', cameraId, size: camera.size, options: camera.options });
    }
  }

  private onMessage(message: FromMotionWorker): void {
    const camera = this.cameras.get(message.cameraId);
    if (camera && (message.type === 'result' || message.frame)) camera.inFlight = Math.max(0, camera.inFlight - 1);
    if (message.type === 'result') {
      this.failures = 0;
      if (camera) this.emit('result', message.cameraId, message.result, message.timeMs);
    } else {
      this.emit('rejected', message.cameraId, message.reason);
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.stopped) return;
    this.restarts++;
    const delay = backoffDelay(this.failures++, { baseMs: 500, maxMs: 30_000, jitter: 0.2 });
    this.log(`motion worker exited (code ${code}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.launch(), delay);
    this.restartTimer.unref();
  }
}
