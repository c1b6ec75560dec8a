// The engine: everything Vigil does, under plain Node. Both hosts (Electron's main process
// and the headless `serve`) create exactly this and add only what their platform needs.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent, Health } from '../../shared/api';
import { AnalysisService } from './analysis/analysis-service';
import { createDetection, inferenceWorkerScript, resolveModel } from './detect/detection-setup';
import { forkLauncher } from './inference/worker-host';
import { AnalysisRepo } from './store/analysis-repo';
import { recordTracks } from './detect/track-storage';
import type { DetectionService } from './detect/detection-service';
import type { WorkerLauncher } from './inference/worker-host';
import { CameraService } from './cameras/camera-service';
import { FfmpegMissingError, locateFfmpeg, type FfmpegInfo } from './cameras/ffmpeg-binary';
import { redactSecrets } from './cameras/redact';
import { prepareDemoSite } from './demo/demo-site';
import { ApiServer } from './api/http-server';
import { IncidentService } from './incidents/incident-service';
import { AlertService } from './alerts/alert-service';
import { createWhatsAppChannel } from './alerts/whatsapp/whatsapp-setup';
import { startClipClassifier } from './classify/clip-setup';
import type { ClipClassifierService } from './classify/clip-classifier-service';
import { EventLoopLag } from './health/event-loop-lag';
import { loadOrCreateKeyFile, SecretBox } from './secrets/secret-box';
import { CamerasRepo, SettingsRepo } from './store/cameras-repo';
import { openDatabase, type Db } from './store/database';
import { RecordingService, recordingOptionsFromEnv, type RecordingOptions } from './recording/recording-service';
import { ExportService } from './evidence/export-service';
import { loadOrCreateInstallationKey } from './evidence/installation-key';
import { ReviewService } from './review/review-service';
import { IncidentFrames } from './snapshots/incident-frame';

export const VIGIL_VERSION = '0.1.0';

export interface EngineOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** When the port is taken, take any free one instead of failing (the default port only). */
  portFallback?: boolean;
  /** A fresh random token when absent. */
  token?: string;
  /** Built renderer to serve; null serves the API only. */
  rendererDir: string | null;
  resourcesDir: string;
  /** 32-byte key for sealing camera passwords; a key file in dataDir when absent. */
  secretKey?: Buffer;
  /** Create the demo site when there are no cameras (default true). */
  demoSite?: boolean;
  /** Folder with models/manifest.json (the app root; resources when packaged). */
  appDir: string;
  /** Run motion and object detection (default true). */
  detection?: boolean;
  /** How worker processes start; Node's fork when absent (the desktop host passes utilityProcess). */
  workerLauncher?: WorkerLauncher;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Continuous recording: settings over those from the environment, or false for none. */
  recording?: Partial<RecordingOptions> | false;
}

export interface Engine {
  url: string;
  port: number;
  token: string;
  cameras: CameraService;
  detection: DetectionService | null;
  recording: RecordingService | null;
  /** Rules, incidents and evidence locks (recording retention asks `isLocked`). */
  incidents: IncidentService;
  // -- engine members --
  /** Alert policies, the outbox and its channels (WhatsApp registers itself with `alerts.addChannel`). */
  alerts: AlertService;
  /** Evidence export jobs and their folders under <dataDir>/exports. */
  exports: ExportService;
  /** The clip classifier (fights) for classifier rules; null when detection is off. */
  clips: ClipClassifierService | null;
  health(): Health;
  /** Resolves when the demo site (if any) has been created. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  // Every line the engine logs passes the redactor: a password typed into a URL never reaches a log file.
  const log = (line: string) => (options.log ?? console.log)(redactSecrets(line));
  const startedAt = Date.now();
  mkdirSync(options.dataDir, { recursive: true });
  const db: Db = openDatabase(join(options.dataDir, 'vigil.db'));
  const box = new SecretBox(options.secretKey ?? loadOrCreateKeyFile(join(options.dataDir, 'secret.key')));
  const repo = new CamerasRepo(db, box);
  const settings = new SettingsRepo(db);

  let ffmpeg: FfmpegInfo | null = null;
  let ffmpegError: string | null = null;
  try {
    ffmpeg = await locateFfmpeg(options.env ?? process.env);
    log(`ffmpeg ${ffmpeg.version.text} from ${ffmpeg.source}: ${ffmpeg.path}`);
  } catch (error) {
    if (!(error instanceof FfmpegMissingError)) throw error;
    ffmpegError = error.message;
    log(`error FFMPEG_MISSING: ${error.message}`);
  }

  const events: EventEmitter<{ event: [EngineEvent] }> = new EventEmitter();
  const env = options.env ?? process.env;
  const { model, unavailable } = options.detection === false ? { model: null, unavailable: null } : await resolveModel({ dataDir: options.dataDir, appDir: options.appDir, env, log });
  const detection = options.detection === false ? null : createDetection({ dataDir: options.dataDir, appDir: options.appDir, env, log, launcher: options.workerLauncher, model, unavailable });
  const analysis =
    options.detection === false
      ? null
      : new AnalysisService({ dataDir: options.dataDir, repo: new AnalysisRepo(db), ffmpegPath: ffmpeg?.path ?? null, model, unavailable, launcher: options.workerLauncher ?? forkLauncher, script: inferenceWorkerScript(), log });
  analysis?.on('event', (event) => events.emit('event', event));
  detection?.on('detections', (event) => events.emit('event', event));
  const tracks = recordTracks(db, detection, ffmpeg?.path ?? null, options.dataDir, env, log);
  const recording = options.recording === false ? null : new RecordingService(db, { ...recordingOptionsFromEnv(env, options.dataDir, log), ...options.recording }, log);
  const cameras = new CameraService({ repo, ffmpeg, log, detection: detection ?? undefined, recording: recording ?? undefined });
  cameras.on('event', (event) => events.emit('event', event));
  const cameraNow = (id: string) => {
    const camera = repo.get(id);
    return camera ? { name: camera.name, state: cameras.get(id).status.state } : null;
  };
  const incidents = new IncidentService({ db, camera: cameraNow, log });
  incidents.follow(detection, cameras);
  incidents.on('event', (event) => events.emit('event', event));
  // Retention never deletes footage of a locked incident.
  if (options.recording !== false && !options.recording?.isLocked) recording?.setLockCheck((cameraId, from, to) => incidents.isLocked(cameraId, from, to));
  // -- review setup --
  // Incident snapshots: the latest analysed picture per camera, drawn and encoded when an incident is raised.
  const incidentFrames = new IncidentFrames({ snapshotsDir: join(options.dataDir, 'snapshots'), ffmpegPath: ffmpeg?.path ?? null, log });
  detection?.on('tracks', (event) => incidentFrames.observe(event));
  incidents.on('raised', (incident) => incidentFrames.capture(incident));
  cameras.on('event', (event) => event.type === 'camera.removed' && incidentFrames.forget(event.id));
  const review = new ReviewService({ db, cameraExists: (id) => repo.get(id) !== null, recordingsRoot: recording?.root ?? null, frames: incidentFrames });
  // -- export setup --
  const exportJobs = new ExportService({
    dataDir: options.dataDir,
    ffmpegPath: ffmpeg?.path ?? null,
    key: () => loadOrCreateInstallationKey(options.dataDir, box),
    exporterVersion: VIGIL_VERSION,
    sources: { recording, tracks: tracks.repo, snapshotsDir: join(options.dataDir, 'snapshots'), cameraName: (id) => repo.get(id)?.name ?? null },
    incidents,
    log,
  });
  exportJobs.on('event', (event) => events.emit('event', event));
  await exportJobs.start();
  // -- alert setup --
  // Alerts: every incident event through the policies into the outbox, then to the channels.
  const alerts = new AlertService({ db, box, dataDir: options.dataDir, incidents, log });
  alerts.follow(incidents, cameras);
  alerts.on('event', (event) => events.emit('event', event));
  alerts.start();
  // -- whatsapp setup --
  // WhatsApp: off (no worker) until the operator links the site's number; the alerts start it.
  alerts.addChannel(createWhatsAppChannel({ db, box, launcher: options.workerLauncher ?? forkLauncher, log, env }));
  // Clip classifier: scores clips where classifier rules watch and two or more people are close together.
  const clips = detection ? await startClipClassifier({ dataDir: options.dataDir, appDir: options.appDir, env, log, launcher: options.workerLauncher, detection, incidents }) : null;
  const lag = new EventLoopLag();
  const token = options.token ?? randomBytes(24).toString('base64url');
  const health = (): Health => {
    const memory = process.memoryUsage();
    return {
      ok: ffmpeg !== null,
      version: VIGIL_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      ffmpeg: { path: ffmpeg?.path ?? null, version: ffmpeg?.version.text ?? null, source: ffmpeg?.source ?? null, error: ffmpegError },
      eventLoopLagMs: lag.snapshot(),
      inference: detection?.inferenceHealth() ?? { state: 'off', reason: null, message: null, model: null, provider: null, fallbacks: [], workers: 0, restarts: 0, latencyMs: { p50: 0, p95: 0, count: 0 }, queueDepth: 0 },
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      cameras: cameras.health(),
    };
  };
  const api = new ApiServer({ cameras, analysis, incidents, events, health, token, rendererDir: options.rendererDir, review, exports: exportJobs, alerts, log });
  let port: number;
  try {
    port = await api.listen(options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.portFallback) {
      incidents.stop();
      db.close();
      throw error;
    }
    log(`port ${options.port} is in use; choosing a free port`);
    port = await api.listen(0);
  }
  // Before the cameras: recovery must see last run's files before new ones are written.
  await recording?.start();
  cameras.startAll();

  const ready = (async () => {
    if (options.demoSite === false || !ffmpeg || repo.count() > 0 || settings.get('demo.seeded')) return;
    try {
      log('first start: creating the demo site from shipped footage…');
      const demo = await prepareDemoSite(ffmpeg.path, options.resourcesDir, options.dataDir);
      if (repo.count() === 0) cameras.create(demo);
      settings.set('demo.seeded', true);
      log(`demo site ready: ${demo.length} cameras`);
    } catch (error) {
      log(`demo site not created: ${(error as Error).message}`);
    }
  })();

  let stopped: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    cameras,
    detection,
    recording,
    incidents,
    // -- engine member values --
    alerts,
    exports: exportJobs,
    clips,
    health,
    ready,
    stop: () =>
      (stopped ??= (async () => {
        await ready;
        await api.close();
        await cameras.stopAll();
        await recording?.stop();
        await detection?.stop();
        clips?.stop();
        // -- stop: alerts --
        await alerts.stop();
        // -- stop: exports --
        await exportJobs.stop();
        incidents.stop();
        incidentFrames.stop();
        tracks.stop();
        await analysis?.stop();
        lag.stop();
        db.close();
      })()),
  };
}
