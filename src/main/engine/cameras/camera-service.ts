// The cameras of this workstation: configuration from SQLite, one supervisor and one stream
// hub per stream while enabled. Every change is persisted first, then applied to the running
// processes, then announced as an event.
import { EventEmitter } from 'node:events';
import type { EngineEvent, HealthCamera } from '../../../shared/api';
import type { CameraConfig, CameraView, StreamRole } from '../../../shared/cameras';
import type { CameraReason } from '../../../shared/reasons';
import { MAX_CAMERAS } from '../../../shared/cameras';
import { EngineError } from '../engine-error';
import type { DetectionService } from '../detect/detection-service';
import { StreamHub } from '../live/stream-hub';
import type { CameraChanges, CamerasRepo, NewCamera } from '../store/cameras-repo';
import type { RecordingService } from '../recording/recording-service';
import { recordsSource } from '../recording/segment-layout';
import { CameraSupervisor } from './camera-supervisor';
import { sourceKindOf } from './ffmpeg-argv';
import type { FfmpegInfo } from './ffmpeg-binary';
import { redactSecrets, restoreRedactedPassword } from './redact';

interface RunningCamera {
  supervisor: CameraSupervisor;
  hubs: Record<StreamRole, StreamHub>;
  /** This camera's FFmpeg writes recording segments (unless recording is paused). */
  records: boolean;
  /** Why this camera cannot be recorded although recording is on for it. */
  recordingProblem: CameraReason | null;
}

export interface CameraServiceDeps {
  repo: CamerasRepo;
  ffmpeg: FfmpegInfo | null;
  log: (line: string) => void;
  /** Analysis of every camera that has detection on; absent in tests of live video alone. */
  detection?: DetectionService;
  /** Continuous recording; absent in tests of live video alone. */
  recording?: RecordingService;
}

/** Width of the small grey picture the motion gate works on. */
const MOTION_WIDTH = 96;

export class CameraService extends EventEmitter<{ event: [EngineEvent] }> {
  private readonly running = new Map<string, RunningCamera>();

  constructor(private readonly deps: CameraServiceDeps) {
    super();
    // Pausing or resuming recording changes the command line: restart the cameras that record.
    deps.recording?.on('paused', () => {
      for (const entry of this.running.values()) if (entry.records) entry.supervisor.relaunch();
    });
  }

  startAll(): void {
    for (const camera of this.deps.repo.list()) this.run(camera);
  }

  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((entry) => entry.supervisor.stop()));
  }

  private run(camera: CameraConfig): void {
    const main = new StreamHub();
    // Without a sub-stream, the grid shows the main stream: one hub serves both roles.
    const hubs: Record<StreamRole, StreamHub> = { main, sub: camera.subUrl ? new StreamHub() : main };
    const detection = camera.options.detect ? this.deps.detection : undefined;
    const recording = camera.options.record && recordsSource(sourceKindOf(camera.mainUrl)) ? this.deps.recording : undefined;
    const supervisor = new CameraSupervisor(camera, {
      ffmpeg: this.deps.ffmpeg,
      hubs,
      log: this.deps.log,
      detect: detection ? detection.framePlan(camera.options, MOTION_WIDTH) : null,
      onFrames: (kind, frames) => detection?.onFrames(camera.id, kind, frames),
      onHwaccelUnavailable: () => detection?.hwaccelUnavailable(camera.id),
      record: recording ? () => recording.planFor(camera.id) : undefined,
      onSegment: (segment) => recording?.onSegment(camera.id, segment),
      onRecordingEnded: () => recording?.onRecordingEnded(camera.id),
      onRecordingUnavailable: () => {
        const entry = this.running.get(camera.id);
        if (entry?.supervisor === supervisor) Object.assign(entry, { records: false, recordingProblem: 'UNSUPPORTED_CODEC' });
      },
    });
    detection?.watch(camera.id, camera.options, hubs, Boolean(camera.subUrl));
    supervisor.on('status', () => {
      const view = this.view(camera.id);
      if (view) this.emit('event', { type: 'camera.status', camera: view });
    });
    this.running.set(camera.id, { supervisor, hubs, records: recording !== undefined && camera.enabled, recordingProblem: null });
    supervisor.start();
  }

  private async halt(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    this.deps.detection?.unwatch(id);
    await entry.supervisor.stop();
  }

  private view(id: string): CameraView | null {
    const camera = this.deps.repo.get(id);
    if (!camera) return null;
    return this.toView(camera);
  }

  private toView(camera: CameraConfig): CameraView {
    const supervisor = this.running.get(camera.id)?.supervisor;
    return {
      id: camera.id,
      name: camera.name,
      mainUrl: redactSecrets(camera.mainUrl),
      subUrl: camera.subUrl ? redactSecrets(camera.subUrl) : null,
      sourceKind: sourceKindOf(camera.mainUrl),
      enabled: camera.enabled,
      options: camera.options,
      demo: camera.demo,
      status: supervisor?.status() ?? { state: 'disabled', reason: null, message: null, since: camera.updatedAt, restarts: 0, nextRetryAt: null, streams: [] },
    };
  }

  list(): CameraView[] {
    return this.deps.repo.list().map((camera) => this.toView(camera));
  }

  get(id: string): CameraView {
    const view = this.view(id);
    if (!view) throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${id}.`, 404);
    return view;
  }

  create(cameras: NewCamera[]): CameraView[] {
    if (this.deps.repo.count() + cameras.length > MAX_CAMERAS) {
      throw new EngineError('CAMERA_LIMIT', `This workstation shows at most ${MAX_CAMERAS} cameras; remove one first.`, 409);
    }
    const created = this.deps.repo.insertMany(cameras);
    for (const camera of created) {
      this.run(camera);
      this.emit('event', { type: 'camera.added', camera: this.toView(camera) });
    }
    return created.map((camera) => this.toView(camera));
  }

  async update(id: string, changes: CameraChanges): Promise<CameraView> {
    const current = this.deps.repo.get(id);
    if (!current) throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${id}.`, 404);
    const resolved: CameraChanges = { ...changes };
    if (changes.mainUrl !== undefined) resolved.mainUrl = restoreRedactedPassword(changes.mainUrl, current.mainUrl);
    if (changes.subUrl) resolved.subUrl = restoreRedactedPassword(changes.subUrl, current.subUrl);
    const updated = this.deps.repo.update(id, resolved)!;
    // Any change may alter the FFmpeg command line: restart this camera only.
    await this.halt(id);
    this.run(updated);
    const view = this.toView(updated);
    this.emit('event', { type: 'camera.updated', camera: view });
    return view;
  }

  async remove(id: string): Promise<void> {
    if (!this.deps.repo.get(id)) throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${id}.`, 404);
    await this.halt(id);
    this.deps.repo.delete(id);
    this.emit('event', { type: 'camera.removed', id });
  }

  /** The stored configuration, credentials included: for engine code only, never for the API. */
  config(id: string): CameraConfig | null {
    return this.deps.repo.get(id);
  }

  hub(id: string, role: StreamRole): StreamHub | null {
    return this.running.get(id)?.hubs[role] ?? null;
  }

  health(): HealthCamera[] {
    return this.deps.repo.list().map((camera) => {
      const entry = this.running.get(camera.id);
      const status = entry?.supervisor.status();
      const hubs = entry ? [...new Set(Object.values(entry.hubs))] : [];
      const stats = hubs.map((hub) => hub.stats());
      return {
        id: camera.id,
        name: camera.name,
        state: status?.state ?? 'disabled',
        reason: status?.reason ?? null,
        restarts: status?.restarts ?? 0,
        bytesPerSecond: hubs.reduce((sum, hub) => sum + hub.bytesPerSecond(), 0),
        subscribers: stats.reduce((sum, s) => sum + s.subscribers, 0),
        skippedFragments: stats.reduce((sum, s) => sum + s.skippedFragments, 0),
        // The grid watches the sub-stream (or the main one standing in for it).
        deliveryLatencyMs: entry?.hubs.sub.stats().latencyMs ?? { p50: 0, p95: 0, count: 0 },
        detect: this.deps.detection?.cameraHealth(camera.id) ?? { mode: 'off', reason: null, detectFps: 0, motionScore: 0, motionActive: false, droppedFrames: 0, liveTracks: 0 },
        ...(this.deps.recording ? { recording: entry?.recordingProblem ? { state: 'off' as const, reason: entry.recordingProblem } : this.deps.recording.cameraHealth(Boolean(entry?.records)) } : {}),
      };
    });
  }
}
