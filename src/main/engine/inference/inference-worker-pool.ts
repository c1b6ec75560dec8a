// The engine's side of inference: one or more worker processes, each holding one ONNX
// session. A worker that dies is restarted with backoff; the frames it was working on are
// dropped (they are stale by then anyway) and nothing else is lost.
import { EventEmitter } from 'node:events';
import type { Detection, ModelManifestEntry } from '../../../shared/detection';
import type { DetectReason } from '../../../shared/reasons';
import { DETECT_REASONS } from '../../../shared/reasons';
import { backoffDelay } from '../cameras/backoff';
import { LatencyRing } from '../health/latency-ring';
import type { FromWorker, ToWorker, WorkerFrame } from './inference-worker-protocol';
import type { WorkerChannel, WorkerLauncher } from './worker-host';

export interface InferenceStatus {
  state: 'starting' | 'ready' | 'unavailable' | 'restarting';
  reason: DetectReason | null;
  message: string | null;
  model: string;
  provider: string | null;
  fallbacks: { provider: string; reason: string }[];
  workers: number;
  restarts: number;
  batchable: boolean;
  inFlight: number;
  latencyMs: { p50: number; p95: number; count: number };
}

export interface InferencePoolOptions {
  launcher: WorkerLauncher;
  script: string;
  entry: ModelManifestEntry;
  file: string;
  providers: string[];
  threads: number;
  size: number;
  scoreThreshold: number;
  iouThreshold: number;
  log: (line: string) => void;
}

/** Batches queued at one worker: the next is already there when the current one finishes. */
const PIPELINE_DEPTH = 2;

interface Slot {
  index: number;
  channel: WorkerChannel | null;
  ready: boolean;
  /** Batches sent and not yet answered, by batch number. */
  pending: Map<number, (result: Detection[][] | null) => void>;
  failures: number;
  restartTimer: NodeJS.Timeout | null;
}

export class InferencePool extends EventEmitter<{ status: [InferenceStatus]; ready: [] }> {
  private readonly slots: Slot[];
  private nextBatch = 1;
  private stopped = false;
  private restarts = 0;
  private status: InferenceStatus;
  private readonly latency = new LatencyRing(512);

  constructor(private readonly options: InferencePoolOptions) {
    super();
    this.slots = Array.from({ length: options.size }, (_, index) => ({ index, channel: null, ready: false, pending: new Map(), failures: 0, restartTimer: null }));
    this.status = { state: 'starting', reason: null, message: null, model: options.entry.id, provider: null, fallbacks: [], workers: 0, restarts: 0, batchable: false, inFlight: 0, latencyMs: { p50: 0, p95: 0, count: 0 } };
  }

  start(): void {
    for (const slot of this.slots) this.launch(slot);
  }

  snapshot(): InferenceStatus {
    return {
      ...this.status,
      workers: this.slots.filter((s) => s.ready).length,
      restarts: this.restarts,
      inFlight: this.slots.reduce((sum, s) => sum + s.pending.size, 0),
      latencyMs: this.latency.summary(),
    };
  }

  /** Workers ready and not busy: how many batches the scheduler may hand out now. */
  idle(): number {
    return this.slots.reduce((sum, s) => sum + (s.ready ? Math.max(0, PIPELINE_DEPTH - s.pending.size) : 0), 0);
  }

  get batchable(): boolean {
    return this.status.batchable;
  }

  /** Detections per frame, or null when the worker died with the batch (frames dropped). */
  detect(frames: WorkerFrame[]): Promise<Detection[][] | null> {
    // The least busy worker; a second batch waits in its queue so it never idles between batches.
    const slot = this.slots.filter((s) => s.ready && s.pending.size < PIPELINE_DEPTH).sort((a, b) => a.pending.size - b.pending.size)[0];
    if (!slot || !slot.channel) return Promise.resolve(null);
    const batch = this.nextBatch++;
    return new Promise((resolve) => {
      slot.pending.set(batch, resolve);
      this.send(slot, { type: 'detect', batch, frames, scoreThreshold: this.options.scoreThreshold, iouThreshold: this.options.iouThreshold });
    });
  }

  /** Test hook: makes one worker die mid-stream, as a native crash would. */
  crashOne(): void {
    const slot = this.slots.find((s) => s.channel);
    if (slot) this.send(slot, { type: 'crash' });
  }

  private send(slot: Slot, message: ToWorker): void {
    slot.channel?.postMessage(message);
  }

  private update(changes: Partial<InferenceStatus>): void {
    this.status = { ...this.status, ...changes };
    this.emit('status', this.snapshot());
  }

  private launch(slot: Slot): void {
    slot.restartTimer = null;
    if (this.stopped) return;
    const channel = this.options.launcher(this.options.script, `inference-${slot.index}`);
    slot.channel = channel;
    slot.ready = false;
    channel.onMessage((message) => this.onMessage(slot, message as FromWorker));
    channel.onExit((code, signal) => this.onExit(slot, channel, code, signal));
    this.send(slot, { type: 'load', entry: this.options.entry, file: this.options.file, providers: this.options.providers, threads: this.options.threads });
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'ready': {
        slot.ready = true;
        slot.failures = 0;
        // Providers this platform never has (DirectML off Windows) are not worth an operator's attention.
        const tried = message.fallbacks.filter((f) => f.tried).map(({ provider, reason }) => ({ provider, reason }));
        this.update({ state: 'ready', reason: tried.length ? 'PROVIDER_FALLBACK' : null, message: null, provider: message.provider, fallbacks: tried, batchable: message.batchable });
        if (tried.length) this.options.log(`inference: running on ${message.provider}; not available: ${tried.map((f) => `${f.provider} (${f.reason})`).join(', ')}`);
        else this.options.log(`inference: running on ${message.provider}`);
        this.emit('ready');
        return;
      }
      case 'load-failed':
        // A model that cannot load will not load on retry either: cameras go motion-only.
        this.update({ state: 'unavailable', reason: message.code, message: message.message });
        this.options.log(`inference unavailable (${message.code}): ${message.message}`);
        slot.channel?.kill();
        slot.channel = null;
        return;
      case 'result':
      case 'batch-failed': {
        const resolve = slot.pending.get(message.batch);
        if (!resolve) return;
        slot.pending.delete(message.batch);
        if (message.type === 'batch-failed') this.options.log(`inference: batch failed: ${message.message}`);
        // The worker's own time for the batch (pre-processing, session.run, decoding), not the queue.
        else this.latency.add(message.inferMs);
        resolve(message.type === 'result' ? message.detections : null);
        return;
      }
    }
  }

  private onExit(slot: Slot, channel: WorkerChannel, code: number | null, signal: string | null): void {
    if (slot.channel !== channel) return;
    slot.channel = null;
    slot.ready = false;
    for (const resolve of slot.pending.values()) resolve(null);
    slot.pending.clear();
    if (this.stopped || this.status.state === 'unavailable') return;
    this.restarts++;
    const delay = backoffDelay(slot.failures++, { baseMs: 500, maxMs: 30_000, jitter: 0.2 });
    this.options.log(`inference worker ${slot.index} exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    this.update({ state: this.slots.some((s) => s.ready) ? 'ready' : 'restarting', reason: 'INFERENCE_WORKER_CRASHED', message: DETECT_REASONS.INFERENCE_WORKER_CRASHED });
    slot.restartTimer = setTimeout(() => this.launch(slot), delay);
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      for (const resolve of slot.pending.values()) resolve(null);
      slot.pending.clear();
      slot.channel?.kill();
      slot.channel = null;
    }
  }
}
