// Watches every camera: motion gate -> scheduler -> inference worker -> tracker -> overlays
// and storage. The main thread only moves pictures between FFmpeg and the workers and makes
// the decisions; motion runs in a worker thread and the model in worker processes.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { HealthCameraDetect, HealthInference } from '../../../shared/api';
import type { CameraOptions, StreamRole } from '../../../shared/cameras';
import type { Box, Detection, DetectionsEvent, DetectMode, TrackedObject } from '../../../shared/detection';
import type { DetectReason } from '../../../shared/reasons';
import type { DetectPlan } from '../cameras/ffmpeg-argv';
import type { StreamHub } from '../live/stream-hub';
import type { MotionWorker } from '../motion/motion-worker';
import type { InferencePool } from '../inference/inference-worker-pool';
import { Tracker, type TrackUpdate } from '../tracking/tracker';
import { DetectScheduler } from './detect-scheduler';
import type { RawFrame } from './pnm-frames';

/** How often an idle camera (no motion, no live tracks) is still analysed. */
export const IDLE_INTERVAL_MS = 3000;

interface WatchedCamera {
  id: string;
  options: CameraOptions;
  /** The hubs of the live streams, to place results on their media timelines. */
  hubs: Record<StreamRole, StreamHub>;
  /** Role of the stream FFmpeg decodes for analysis: 'sub' when the camera has one. */
  analysedRole: StreamRole;
  tracker: Tracker;
  run: string;
  motion: { score: number; active: boolean; at: number };
  hwaccelReason: DetectReason | null;
}

export interface DetectionServiceDeps {
  motion: MotionWorker;
  /** Null when no model could be loaded: cameras run motion-only with `unavailableReason`. */
  inference: InferencePool | null;
  unavailable: { reason: DetectReason; message: string } | null;
  /** Classes worth reporting (people, vehicles); all when absent. */
  reportLabels: readonly string[] | null;
  /** Width of the model's input, when a model is loaded. */
  inputWidth: number | null;
  log: (line: string) => void;
  now?: () => number;
}

/** One tracker update with what storage needs to keep it: the analysed picture included. */
export interface TracksEvent {
  cameraId: string;
  /** This tracker's run: track ids restart with the tracker, the run keeps stored keys unique. */
  run: string;
  tracker: Tracker;
  update: TrackUpdate;
  /** The analysed picture (RGB) and the factor from its pixels to source pixels. */
  frame: RawFrame;
  scale: { x: number; y: number };
  /** Source picture size the boxes refer to. */
  width: number;
  height: number;
}

export interface DetectionServiceEvents {
  detections: [DetectionsEvent];
  tracks: [TracksEvent];
}

export class DetectionService extends EventEmitter<DetectionServiceEvents> {
  private readonly cameras = new Map<string, WatchedCamera>();
  private readonly scheduler: DetectScheduler;
  private readonly now: () => number;
  private dispatchTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: DetectionServiceDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.scheduler = new DetectScheduler(this.now);
    deps.motion.on('result', (cameraId, result, at) => {
      const camera = this.cameras.get(cameraId);
      if (!camera) return;
      camera.motion = { score: result.score, active: result.active, at };
      this.refreshActivity(camera);
    });
    deps.inference?.on('ready', () => this.dispatch());
  }

  /**
   * What FFmpeg should decode for this camera: no RGB pictures when no model is loaded, and
   * never wider than the model's input (more pixels would only be scaled away again).
   */
  framePlan(options: CameraOptions, motionWidth: number): DetectPlan {
    const modelWidth = this.deps.inference ? this.deps.inputWidth : null;
    return {
      fps: options.detectFps,
      objects: modelWidth !== null,
      width: Math.min(options.detectWidth, modelWidth ?? options.detectWidth),
      motionWidth,
      hwaccel: options.hwaccel,
    };
  }

  watch(id: string, options: CameraOptions, hubs: Record<StreamRole, StreamHub>, hasSub: boolean): void {
    const camera: WatchedCamera = {
      id,
      options,
      hubs,
      analysedRole: hasSub ? 'sub' : 'main',
      tracker: new Tracker(),
      run: randomUUID().slice(0, 8),
      motion: { score: 0, active: false, at: 0 },
      hwaccelReason: null,
    };
    this.cameras.set(id, camera);
    this.scheduler.configure(id, { fps: options.detectFps, idleIntervalMs: IDLE_INTERVAL_MS });
    this.deps.motion.configure(id, { width: 96, height: 54 }, { threshold: options.motionThreshold, minArea: options.motionMinArea, masks: options.motionMasks });
  }

  unwatch(id: string): void {
    const camera = this.cameras.get(id);
    // The camera stops (disabled, edited, deleted): its tracks end now, and storage hears of it.
    if (camera) {
      const ended = camera.tracker.endAll();
      if (ended.length) this.emit('tracks', { cameraId: id, run: camera.run, tracker: camera.tracker, update: { objects: [], reportable: [], ended }, frame: { width: 0, height: 0, channels: 3, data: new Uint8Array(0), at: this.now() }, scale: { x: 1, y: 1 }, width: 0, height: 0 });
    }
    this.cameras.delete(id);
    this.scheduler.remove(id);
    this.deps.motion.remove(id);
  }

  hwaccelUnavailable(id: string): void {
    const camera = this.cameras.get(id);
    if (camera) camera.hwaccelReason = 'HWACCEL_UNAVAILABLE';
  }

  /** Pictures from a camera's FFmpeg: small grey ones feed the motion gate, RGB ones wait for the detector. */
  onFrames(id: string, kind: 'detect' | 'motion', frames: RawFrame[]): void {
    if (!this.cameras.has(id)) return;
    for (const frame of frames) {
      if (kind === 'motion') this.deps.motion.submit(id, frame.data, frame.at, { width: frame.width, height: frame.height });
      else if (this.deps.inference) this.scheduler.offer(id, frame);
    }
    if (kind === 'detect') this.dispatch();
  }

  private refreshActivity(camera: WatchedCamera): void {
    // Live tracks keep the full rate too: a person standing still makes no motion but must stay tracked.
    this.scheduler.setActive(camera.id, camera.motion.active || camera.tracker.liveTrackCount > 0);
  }

  /** Hands due pictures to idle workers; re-arms itself for the next camera that becomes due. */
  private dispatch(): void {
    const pool = this.deps.inference;
    if (!pool || this.stopped) return;
    if (this.dispatchTimer) {
      clearTimeout(this.dispatchTimer);
      this.dispatchTimer = null;
    }
    while (pool.idle() > 0) {
      const batch = this.scheduler.take(pool.batchable ? 8 : 1);
      if (batch.length === 0) break;
      void pool
        .detect(batch.map(({ id, frame }) => ({ key: id, width: frame.width, height: frame.height, pixelFormat: 'rgb24', data: frame.data })))
        .then((results) => {
          if (results) batch.forEach(({ id, frame }, index) => this.onResult(id, frame, results[index] ?? []));
          this.dispatch();
        });
    }
    const wait = this.scheduler.nextDueIn();
    if (wait !== null && pool.idle() > 0) this.dispatchTimer = setTimeout(() => this.dispatch(), Math.max(5, wait));
  }

  private onResult(id: string, frame: RawFrame, detections: Detection[]): void {
    const camera = this.cameras.get(id);
    if (!camera) return;
    const wanted = this.deps.reportLabels;
    // Boxes come in analysed-picture pixels; report them in the source stream's pixels.
    const source = camera.hubs[camera.analysedRole].init;
    const width = source?.width ?? frame.width;
    const height = source?.height ?? frame.height;
    const sx = width / frame.width;
    const sy = height / frame.height;
    const scaled = detections
      .filter((d) => !wanted || wanted.includes(d.label))
      .map((d) => ({ ...d, box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy] as Box }));
    const update = camera.tracker.update(scaled, frame.at);
    this.refreshActivity(camera);
    const mediaTime = (role: StreamRole) => camera.hubs[role].mediaTimeAt(frame.at);
    const objects: TrackedObject[] = update.objects.map((o) => ({ ...o, box: o.box.map((v) => Math.round(v * 10) / 10) as Box, score: Math.round(o.score * 1000) / 1000 }));
    this.emit('detections', { type: 'detections', camera: id, frameAt: frame.at, mediaTime: { main: mediaTime('main'), sub: mediaTime('sub') }, frameWidth: width, frameHeight: height, objects });
    this.emit('tracks', { cameraId: id, run: camera.run, tracker: camera.tracker, update, frame, scale: { x: sx, y: sy }, width, height });
  }

  mode(): { mode: DetectMode; reason: DetectReason | null } {
    const pool = this.deps.inference;
    if (!pool) return { mode: 'motion-only', reason: this.deps.unavailable?.reason ?? 'MODEL_MISSING' };
    const status = pool.snapshot();
    if (status.state === 'unavailable') return { mode: 'motion-only', reason: status.reason };
    return { mode: 'detecting', reason: null };
  }

  cameraHealth(id: string): HealthCameraDetect {
    const camera = this.cameras.get(id);
    const stats = this.scheduler.stats(id);
    if (!camera || !stats) return { mode: 'off', reason: null, detectFps: 0, motionScore: 0, motionActive: false, droppedFrames: 0, liveTracks: 0 };
    const { mode, reason } = this.mode();
    return {
      mode,
      reason: reason ?? camera.hwaccelReason,
      detectFps: stats.detectFps,
      motionScore: Math.round(camera.motion.score * 10_000) / 10_000,
      motionActive: camera.motion.active,
      droppedFrames: stats.dropped,
      liveTracks: camera.tracker.liveTrackCount,
    };
  }

  inferenceHealth(): HealthInference {
    const pool = this.deps.inference;
    if (!pool) {
      return { state: 'unavailable', reason: this.deps.unavailable?.reason ?? 'MODEL_MISSING', message: this.deps.unavailable?.message ?? null, model: null, provider: null, fallbacks: [], workers: 0, restarts: 0, latencyMs: { p50: 0, p95: 0, count: 0 }, queueDepth: 0 };
    }
    const status = pool.snapshot();
    return { state: status.state, reason: status.reason, message: status.message, model: status.model, provider: status.provider, fallbacks: status.fallbacks, workers: status.workers, restarts: status.restarts, latencyMs: status.latencyMs, queueDepth: status.inFlight + this.scheduler.pending() };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
    this.deps.inference?.stop();
    await this.deps.motion.stop();
  }
}
