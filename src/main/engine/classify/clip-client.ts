// The engine's side of the clip worker: one process holding the clip model, restarted with
// backoff when it dies. Clips are a few seconds of evidence each and the next one is never
// far behind, so a clip the worker died with, or one that arrives while two are already
// waiting, is dropped rather than queued.
import type { DetectReason } from '../../../shared/reasons';
import { backoffDelay } from '../cameras/backoff';
import { LatencyRing } from '../health/latency-ring';
import type { WorkerChannel, WorkerLauncher } from '../inference/worker-host';
import type { ClipModelEntry } from './clip-model-spec';
import type { ClipFrame } from './clip-tensor';
import type { FromClipWorker, ToClipWorker } from './clip-worker-protocol';

export interface ClipClientStatus {
  state: 'starting' | 'ready' | 'unavailable' | 'restarting';
  reason: DetectReason | null;
  message: string | null;
  model: string;
  provider: string | null;
  restarts: number;
  /** Clips scored, and clips dropped because the worker was busy or died with them. */
  clips: number;
  dropped: number;
  latencyMs: { p50: number; p95: number; count: number };
}

export interface ClipClientOptions {
  launcher: WorkerLauncher;
  script: string;
  entry: ClipModelEntry;
  file: string;
  providers: string[];
  threads: number;
  log: (line: string) => void;
}

/** Clips at the worker at once: one being scored and one waiting, so it never idles between them. */
const PIPELINE_DEPTH = 2;

export class ClipClient {
  private channel: WorkerChannel | null = null;
  private ready = false;
  private readonly pending = new Map<number, (scores: number[] | null) => void>();
  private nextClip = 1;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly latency = new LatencyRing(256);
  private status: ClipClientStatus;

  constructor(private readonly options: ClipClientOptions) {
    this.status = { state: 'starting', reason: null, message: null, model: options.entry.id, provider: null, restarts: 0, clips: 0, dropped: 0, latencyMs: { p50: 0, p95: 0, count: 0 } };
  }

  start(): void {
    this.launch();
  }

  snapshot(): ClipClientStatus {
    return { ...this.status, latencyMs: this.latency.summary() };
  }

  /** One score per label of the model, or null when the clip was dropped. */
  classify(frames: ClipFrame[]): Promise<number[] | null> {
    if (!this.ready || !this.channel || this.pending.size >= PIPELINE_DEPTH) {
      this.status.dropped++;
      return Promise.resolve(null);
    }
    const clip = this.nextClip++;
    return new Promise((resolve) => {
      this.pending.set(clip, resolve);
      this.send({ type: 'classify', clip, frames });
    });
  }

  /** Test hook: makes the worker die mid-stream, as a native crash would. */
  crash(): void {
    this.send({ type: 'crash' });
  }

  stop(): void {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.settleAll();
    this.channel?.kill();
    this.channel = null;
    this.ready = false;
  }

  private send(message: ToClipWorker): void {
    this.channel?.postMessage(message);
  }

  private launch(): void {
    this.restartTimer = null;
    if (this.stopped) return;
    const channel = this.options.launcher(this.options.script, 'clips');
    this.channel = channel;
    this.ready = false;
    channel.onMessage((message) => this.onMessage(message as FromClipWorker));
    channel.onExit((code, signal) => this.onExit(channel, code, signal));
    const { entry, file, providers, threads } = this.options;
    this.send({ type: 'load', entry, file, providers, threads });
  }

  private onMessage(message: FromClipWorker): void {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        this.failures = 0;
        const tried = message.fallbacks.filter((f) => f.tried);
        Object.assign(this.status, { state: 'ready', reason: tried.length ? 'PROVIDER_FALLBACK' : null, message: null, provider: message.provider });
        this.options.log(`clip classifier ${this.options.entry.id} running on ${message.provider}${tried.length ? `; not available: ${tried.map((f) => `${f.provider} (${f.reason})`).join(', ')}` : ''}`);
        return;
      }
      case 'load-failed':
        // A model that cannot load will not load on retry either.
        this.giveUp(message.code, message.message);
        return;
      case 'result':
      case 'clip-failed': {
        const resolve = this.pending.get(message.clip);
        if (!resolve) return;
        this.pending.delete(message.clip);
        if (message.type === 'result') {
          this.status.clips++;
          this.latency.add(message.inferMs);
          resolve(message.scores);
          return;
        }
        this.status.dropped++;
        resolve(null);
        // A model whose output does not fit its manifest entry will not fit on the next clip either.
        if (message.code === 'CLIP_MODEL_INCOMPATIBLE') this.giveUp(message.code, message.message);
        else this.options.log(`clip classifier: clip failed: ${message.message}`);
        return;
      }
    }
  }

  private giveUp(code: DetectReason, message: string): void {
    Object.assign(this.status, { state: 'unavailable', reason: code, message });
    this.options.log(`clip classifier unavailable (${code}): ${message}`);
    this.ready = false;
    this.settleAll();
    this.channel?.kill();
    this.channel = null;
  }

  private onExit(channel: WorkerChannel, code: number | null, signal: string | null): void {
    if (this.channel !== channel) return;
    this.channel = null;
    this.ready = false;
    this.settleAll();
    if (this.stopped || this.status.state === 'unavailable') return;
    this.status.restarts++;
    const delay = backoffDelay(this.failures++, { baseMs: 500, maxMs: 30_000, jitter: 0.2 });
    this.options.log(`clip worker exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    Object.assign(this.status, { state: 'restarting', reason: 'INFERENCE_WORKER_CRASHED', message: 'The clip worker stopped unexpectedly and is being restarted.' });
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  private settleAll(): void {
    for (const resolve of this.pending.values()) {
      this.status.dropped++;
      resolve(null);
    }
    this.pending.clear();
  }
}
