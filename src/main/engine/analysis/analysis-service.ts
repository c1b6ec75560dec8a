// Footage the operator imports in the UI: stored on disk as it uploads, analysed one file at
// a time by its own inference worker (live cameras keep theirs), results kept as JSON files.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MAX_ANALYSIS_BYTES, type AnalysisJob, type AnalysisResult } from '../../../shared/analysis';
import type { EngineEvent } from '../../../shared/api';
import { DETECT_REASONS, type DetectReason } from '../../../shared/reasons';
import { EngineError } from '../engine-error';
import { InferencePool } from '../inference/inference-worker-pool';
import type { ModelChoice } from '../inference/model-choice';
import type { WorkerLauncher } from '../inference/worker-host';
import type { AnalysisRepo } from '../store/analysis-repo';
import { analyzeFootage } from './analyze-footage';
import { FootageError } from './footage-frames';

export interface AnalysisServiceDeps {
  dataDir: string;
  repo: AnalysisRepo;
  ffmpegPath: string | null;
  model: ModelChoice | null;
  unavailable: { reason: DetectReason; message: string } | null;
  launcher: WorkerLauncher;
  script: string;
  log: (line: string) => void;
}

const PROGRESS_EVERY_MS = 1000;

export class AnalysisService extends EventEmitter<{ event: [EngineEvent] }> {
  private readonly uploads: string;
  private readonly results: string;
  private running: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private stopping = false;

  constructor(private readonly deps: AnalysisServiceDeps) {
    super();
    this.uploads = join(deps.dataDir, 'analysis', 'uploads');
    this.results = join(deps.dataDir, 'analysis', 'results');
    mkdirSync(this.uploads, { recursive: true });
    mkdirSync(this.results, { recursive: true });
    if (deps.repo.requeueInterrupted() > 0) this.kick();
    else if (deps.repo.nextQueued()) this.kick();
  }

  list(): AnalysisJob[] {
    return this.deps.repo.list();
  }

  get(id: string): AnalysisJob & { result: AnalysisResult | null } {
    const job = this.deps.repo.get(id);
    if (!job) throw new EngineError('RESOURCE_NOT_FOUND', `No analysis job ${id}.`, 404);
    const file = join(this.results, `${id}.json`);
    return { ...job, result: job.state === 'done' && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AnalysisResult) : null };
  }

  /** Streams the request body to disk (never held in memory), then queues the job. */
  async upload(req: IncomingMessage, fileName: string, fps: number): Promise<AnalysisJob> {
    if (!this.deps.model) throw new EngineError(this.deps.unavailable?.reason ?? 'MODEL_MISSING', this.deps.unavailable?.message ?? DETECT_REASONS.MODEL_MISSING, 503);
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_ANALYSIS_BYTES) throw new EngineError('ANALYSIS_TOO_LARGE', undefined, 413);
    const id = randomUUID();
    const partial = join(this.uploads, `${id}.partial`);
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_ANALYSIS_BYTES) req.destroy(new EngineError('ANALYSIS_TOO_LARGE', undefined, 413));
    });
    try {
      await pipeline(req, createWriteStream(partial));
    } catch (error) {
      rmSync(partial, { force: true });
      if (error instanceof EngineError) throw error;
      throw new EngineError('ANALYSIS_FAILED', `The upload broke off: ${(error as Error).message}`, 400);
    }
    if (received === 0) {
      rmSync(partial, { force: true });
      throw new EngineError('ANALYSIS_NOT_VIDEO', 'The upload was empty.', 400);
    }
    renameSync(partial, join(this.uploads, id));
    this.deps.repo.insert({ id, fileName, fps, createdAt: Date.now() });
    const job = this.deps.repo.get(id)!;
    this.publish(job);
    this.kick();
    return job;
  }

  private publish(job: AnalysisJob): void {
    const { id, fileName, state, progress, createdAt, frames, tracks, error } = job;
    this.emit('event', { type: 'analysis.updated', job: { id, fileName, state, progress, createdAt, frames, tracks, error } });
  }

  private update(id: string, changes: Parameters<AnalysisRepo['update']>[1]): void {
    this.deps.repo.update(id, changes);
    const job = this.deps.repo.get(id);
    if (job) this.publish(job);
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    let pool: InferencePool | null = null;
    try {
      for (let job = this.deps.repo.nextQueued(); job && !this.stopping; job = this.deps.repo.nextQueued()) {
        pool ??= await this.startPool();
        await this.run(job, pool);
      }
    } finally {
      pool?.stop();
    }
  }

  /** Its own worker with one thread, so an import does not starve the live cameras' detector. */
  private async startPool(): Promise<InferencePool> {
    const model = this.deps.model!;
    const pool = new InferencePool({ launcher: this.deps.launcher, script: this.deps.script, entry: model.entry, file: model.file, providers: ['cpu'], threads: 1, size: 1, scoreThreshold: 0.35, iouThreshold: 0.45, log: this.deps.log });
    await new Promise<void>((resolve) => {
      pool.once('ready', () => resolve());
      pool.on('status', (status) => status.state === 'unavailable' && resolve());
      pool.start();
    });
    return pool;
  }

  private async run(job: AnalysisJob & { fps: number }, pool: InferencePool): Promise<void> {
    const upload = join(this.uploads, job.id);
    if (!this.deps.ffmpegPath || !existsSync(upload)) {
      this.update(job.id, { state: 'failed', error: { code: this.deps.ffmpegPath ? 'ANALYSIS_FAILED' : 'FFMPEG_MISSING', message: this.deps.ffmpegPath ? 'The uploaded file is gone.' : 'FFmpeg was not found.' } });
      return;
    }
    this.update(job.id, { state: 'running', progress: 0 });
    this.abort = new AbortController();
    let lastProgress = 0;
    try {
      const result = await analyzeFootage({
        ffmpegPath: this.deps.ffmpegPath,
        file: upload,
        fps: job.fps,
        model: this.deps.model!.entry.id,
        reportLabels: this.deps.model!.entry.reportLabels ?? null,
        signal: this.abort.signal,
        detect: async (frame) => {
          const detections = await pool.detect([{ key: job.id, width: frame.width, height: frame.height, pixelFormat: 'rgb24', data: frame.data }]);
          if (!detections) throw new FootageError('ANALYSIS_FAILED', pool.snapshot().message ?? 'the inference worker stopped');
          return detections[0] ?? [];
        },
        onProgress: ({ fraction, frames, tracks }) => {
          if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = Date.now();
          this.update(job.id, { progress: Math.round(fraction * 1000) / 1000, frames, tracks });
        },
      });
      const tracks = new Set(result.frames.flatMap((f) => f.detections.map((d) => d.trackId))).size;
      const file = join(this.results, `${job.id}.json`);
      writeFileSync(`${file}.partial`, JSON.stringify(result));
      renameSync(`${file}.partial`, file);
      this.update(job.id, { state: 'done', progress: 1, frames: result.frames.length, tracks });
      rmSync(upload, { force: true });
    } catch (error) {
      if (this.stopping) {
        // Engine shutdown: the upload stays and the job runs again at the next start.
        this.update(job.id, { state: 'queued', progress: 0 });
        return;
      }
      const code = error instanceof FootageError ? error.code : 'ANALYSIS_FAILED';
      this.deps.log(`analysis ${job.id} (${job.fileName}) failed: ${(error as Error).message}`);
      this.update(job.id, { state: 'failed', error: { code, message: (error as Error).message } });
      rmSync(upload, { force: true });
    } finally {
      this.abort = null;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort?.abort();
    await this.running?.catch(() => undefined);
  }
}
