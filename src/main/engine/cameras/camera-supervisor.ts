// Owns one camera's FFmpeg process for its whole life: spawn, feed the pipes into the
// stream hubs, watch for stalls, classify every exit and restart with backoff. Nothing
// outside this file touches the child process.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { CameraConfig, CameraState, CameraStatus, LiveStreamInfo, StreamRole } from '../../../shared/cameras';
import { MAX_DIMENSION } from '../../../shared/cameras';
import type { CameraReason } from '../../../shared/reasons';
import { CAMERA_REASONS } from '../../../shared/reasons';
import type { StreamHub } from '../live/stream-hub';
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff';
import { classifyExit, NEEDS_OPERATOR } from './exit-classifier';
import { PnmFrameSplitter, type RawFrame } from '../detect/pnm-frames';
import { buildCameraArgv, initialPlan, sourceKindOf, type DetectPlan, type FrameOutput, type LivePlan, type LiveMode, type RecordPlan } from './ffmpeg-argv';
import { SegmentListReader, type SegmentNotice } from '../recording/segment-list';
import type { FfmpegInfo } from './ffmpeg-binary';
import { redactKnown, secretsOf } from './redact';

/** Codecs every Chromium plays through MediaSource; anything else is transcoded. */
const BROWSER_CODECS = new Set(['avc1', 'avc3']);
const MIN_DIMENSION_SEEN = 16;
/** Slow retries for failures an operator has to fix; fast ones would hammer the camera (and lock accounts). */
const OPERATOR_BACKOFF: BackoffPolicy = { baseMs: 15_000, maxMs: 120_000, jitter: 0.2 };
/** After this long live, a failure counts as a fresh problem and backoff starts over. */
const HEALTHY_RUN_MS = 30_000;
const NETWORK_REASONS = new Set<CameraReason>(['REFUSED', 'TIMEOUT', 'UNREACHABLE', 'STALLED', 'ENDED']);
const STDERR_LINES = 40;
/** What FFmpeg prints when a -hwaccel device or decoder cannot be used. */
const HWACCEL_FAILURE = /hwaccel|device creation failed|no device available|failed setup for format|cannot load (libcuda|nvcuvid)|vaapi|qsv|d3d11va|cuda/i;

export interface SupervisorDeps {
  ffmpeg: FfmpegInfo | null;
  hubs: Record<StreamRole, StreamHub>;
  log: (line: string) => void;
  spawn?: typeof nodeSpawn;
  now?: () => number;
  random?: () => number;
  platform?: NodeJS.Platform;
  backoff?: BackoffPolicy;
  /** Decoded pictures for analysis: requested when set, delivered to onFrames. */
  detect?: DetectPlan | null;
  onFrames?: (kind: FrameOutput['kind'], frames: RawFrame[]) => void;
  /** Told when hardware decoding had to be turned off for this camera. */
  onHwaccelUnavailable?: (detail: string) => void;
  /** Asked at every start: where to record, or null to not record this time (disk full). */
  record?: () => RecordPlan | null;
  /** A segment FFmpeg has finished and closed. */
  onSegment?: (segment: SegmentNotice) => void;
  /** A process that was recording has ended: its open segment, if any, was never listed. */
  onRecordingEnded?: () => void;
  /** Recording had to be turned off for this camera: MP4 cannot hold its codec. */
  onRecordingUnavailable?: (detail: string) => void;
}

interface StreamFacts {
  sourceCodec: string | null;
}

export class CameraSupervisor extends EventEmitter<{ status: [CameraStatus] }> {
  private child: ChildProcess | null = null;
  private plan: LivePlan;
  private detect: DetectPlan | null;
  /** Set once copying the main stream into MP4 segments failed: live video matters more. */
  private recordRefused = false;
  private recording = false;
  private readonly facts: Record<StreamRole, StreamFacts> = { main: { sourceCodec: null }, sub: { sourceCodec: null } };
  private state: CameraState = 'connecting';
  private reason: CameraReason | null = null;
  private message: string | null = null;
  private since: number;
  private restarts = 0;
  private failures = 0;
  private nextRetryAt: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopping = false;
  private stopPromise: Promise<void> | null = null;
  private readonly hubListeners: (() => void)[] = [];
  private readonly now: () => number;
  private readonly secrets: string[];

  // Per-process facts, reset at every spawn.
  private spawnedAt = 0;
  private lastDataAt: number | null = null;
  private liveSince: number | null = null;
  private stderr: string[] = [];
  private requestedStop = false;
  private stalled = false;
  private pendingReason: CameraReason | null = null;
  private relaunchNow = false;

  constructor(
    readonly camera: CameraConfig,
    private readonly deps: SupervisorDeps,
  ) {
    super();
    this.now = deps.now ?? Date.now;
    this.since = this.now();
    this.plan = initialPlan(camera);
    this.detect = deps.detect ?? null;
    this.secrets = [...secretsOf(camera.mainUrl), ...(camera.subUrl ? secretsOf(camera.subUrl) : [])];
    for (const role of this.roles()) {
      const hub = deps.hubs[role];
      const onInit = (init: { fourcc: string; codec: string; width: number; height: number }) => this.onInit(role, init);
      const onFragment = () => this.onData();
      const onCorrupt = (error: Error) => this.deps.log(`${this.label()}: corrupt ${role} stream: ${error.message}`);
      hub.on('init', onInit);
      hub.on('fragment', onFragment);
      hub.on('corrupt', onCorrupt);
      this.hubListeners.push(() => {
        hub.off('init', onInit);
        hub.off('fragment', onFragment);
        hub.off('corrupt', onCorrupt);
      });
    }
  }

  private roles(): StreamRole[] {
    return this.camera.subUrl ? ['main', 'sub'] : ['main'];
  }

  private label(): string {
    return `camera "${this.camera.name}"`;
  }

  start(): void {
    if (!this.camera.enabled) return this.setState('disabled', null, null);
    if (!this.deps.ffmpeg) return this.setState('error', 'FFMPEG_MISSING', CAMERA_REASONS.FFMPEG_MISSING);
    this.launch();
  }

  status(): CameraStatus {
    const streams: LiveStreamInfo[] = this.roles().map((role) => {
      const init = this.deps.hubs[role].init;
      const mode = this.plan[role] ?? 'copy';
      return {
        role,
        mime: init?.mime ?? null,
        width: init?.width ?? null,
        height: init?.height ?? null,
        transcoded: mode === 'transcode',
        sourceCodec: this.facts[role].sourceCodec ?? (mode === 'copy' ? (init?.fourcc ?? null) : null),
      };
    });
    return { state: this.state, reason: this.reason, message: this.message, since: this.since, restarts: this.restarts, nextRetryAt: this.nextRetryAt, streams };
  }

  /** `force` publishes even when only the retry time changed. */
  private setState(state: CameraState, reason: CameraReason | null, message: string | null, force = false): void {
    if (!force && state === this.state && reason === this.reason && message === this.message) return;
    if (state !== this.state) this.since = this.now();
    this.state = state;
    this.reason = reason;
    this.message = message;
    this.emit('status', this.status());
  }

  private launch(): void {
    this.retryTimer = null;
    this.nextRetryAt = null;
    const ffmpeg = this.deps.ffmpeg!;
    let argv;
    try {
      const record = this.recordRefused ? null : (this.deps.record?.() ?? null);
      this.recording = record !== null;
      argv = buildCameraArgv({ camera: this.camera, ffmpeg, plan: this.plan, platform: this.deps.platform ?? process.platform, detect: this.detect, record });
    } catch (error) {
      return this.setState('error', 'UNSUPPORTED_CODEC', redactKnown((error as Error).message, this.secrets));
    }
    const spawn = this.deps.spawn ?? nodeSpawn;
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'ignore', 'pipe', ...argv.outputs.map(() => 'pipe' as const), ...argv.frameOutputs.map(() => 'pipe' as const)];
    if (argv.segmentListFd !== null) stdio[argv.segmentListFd] = 'pipe';
    this.spawnedAt = this.now();
    this.lastDataAt = null;
    this.liveSince = null;
    this.stderr = [];
    this.requestedStop = false;
    this.stalled = false;
    this.pendingReason = null;
    this.relaunchNow = false;
    for (const role of this.roles()) this.deps.hubs[role].reset();

    const env = Object.keys(argv.env).length > 0 ? { ...process.env, ...argv.env } : undefined;
    const child = spawn(ffmpeg.path, argv.args, { stdio, windowsHide: true, ...(env ? { env } : {}) });
    this.child = child;
    if (this.restarts === 0 && this.state !== 'reconnecting') this.setState('connecting', null, null);
    this.restarts++;

    for (const output of argv.outputs) {
      const pipe = child.stdio[output.fd] as Readable | null;
      const hub = this.deps.hubs[output.role];
      pipe?.on('data', (chunk: Buffer) => {
        // Once Vigil refused this stream, nothing more of it may reach a viewer.
        if (this.pendingReason) return;
        this.lastDataAt = this.now();
        hub.push(chunk);
      });
      pipe?.on('error', () => undefined); // EPIPE on kill; the exit handler reports the cause.
    }
    for (const output of argv.frameOutputs) {
      const pipe = child.stdio[output.fd] as Readable | null;
      const splitter = new PnmFrameSplitter(this.now);
      pipe?.on('data', (chunk: Buffer) => {
        try {
          const frames = splitter.push(chunk);
          if (frames.length) this.deps.onFrames?.(output.kind, frames);
        } catch (error) {
          this.deps.log(`${this.label()}: ${output.kind} pictures unreadable: ${(error as Error).message}`);
          splitter.reset();
        }
      });
      pipe?.on('error', () => undefined);
    }
    if (argv.segmentListFd !== null) {
      const pipe = child.stdio[argv.segmentListFd] as Readable | null;
      const reader = new SegmentListReader();
      pipe?.setEncoding('utf8');
      pipe?.on('data', (text: string) => {
        const { notices, rejected } = reader.push(text);
        for (const line of rejected) this.deps.log(`${this.label()}: unreadable segment list line: ${redactKnown(line, this.secrets)}`);
        for (const notice of notices) this.deps.onSegment?.(notice);
      });
      pipe?.on('error', () => undefined);
    }
    child.stderr?.setEncoding('utf8');
    let partial = '';
    child.stderr?.on('data', (text: string) => {
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.noteStderr(line);
    });
    child.on('error', (error) => {
      // spawn itself failed (binary vanished, permissions): same path as an exit.
      this.noteStderr(error.message);
    });
    child.on('close', (code, signal) => {
      if (partial.trim()) this.noteStderr(partial);
      // Before any restart, so the open segment is accounted for before a new one begins.
      if (argv.segmentListFd !== null) this.deps.onRecordingEnded?.();
      this.onExit(child, code, signal, argv.ioTimeoutMs);
    });
    this.startWatchdog();
  }

  private noteStderr(line: string): void {
    const clean = redactKnown(line.trim(), this.secrets);
    this.stderr.push(clean);
    if (this.stderr.length > STDERR_LINES) this.stderr.shift();
    this.deps.log(`${this.label()} ffmpeg: ${clean}`);
  }

  private onInit(role: StreamRole, init: { fourcc: string; codec: string; width: number; height: number }): void {
    const mode: LiveMode = this.plan[role] ?? 'copy';
    if (init.width < MIN_DIMENSION_SEEN || init.height < MIN_DIMENSION_SEEN || init.width > MAX_DIMENSION || init.height > MAX_DIMENSION) {
      return this.endProcess('RESOLUTION_UNSUPPORTED', `${role} stream reports ${init.width}x${init.height}`);
    }
    if (mode === 'copy' && !BROWSER_CODECS.has(init.fourcc)) {
      this.facts[role].sourceCodec = init.fourcc;
      if (this.camera.options.liveTranscode === 'never') {
        return this.endProcess('UNSUPPORTED_CODEC', `${role} stream is ${init.fourcc}, which the browser cannot play, and transcoding is turned off for this camera`);
      }
      // Switch this output to H.264 and restart at once: a plan change, not a failure.
      this.plan = { ...this.plan, [role]: 'transcode' };
      this.deps.log(`${this.label()}: ${role} stream is ${init.fourcc}; transcoding it to H.264 for the browser`);
      this.relaunchNow = true;
      this.requestedStop = true;
      this.child?.kill('SIGKILL');
    }
  }

  private onData(): void {
    if (this.pendingReason) return;
    if (this.state !== 'live') {
      this.liveSince = this.now();
      this.setState('live', null, null);
    }
  }

  /** Kill the process for a reason Vigil found itself (bad resolution, unplayable codec). */
  private endProcess(reason: CameraReason, detail: string): void {
    this.pendingReason = reason;
    this.stderr.push(detail);
    this.child?.kill('SIGKILL');
    // Viewers that join before the next start must not be handed the refused stream's init.
    for (const role of this.roles()) this.deps.hubs[role].reset();
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      if (!this.child || this.requestedStop || this.stalled) return;
      const stallMs = this.camera.options.stallSeconds * 1000;
      // Before the first byte, allow for FFmpeg's own connect timeout plus stream probing.
      const limit = this.lastDataAt === null ? Math.max(stallMs, 20_000) : stallMs;
      if (this.now() - (this.lastDataAt ?? this.spawnedAt) > limit) {
        this.stalled = true;
        this.child.kill('SIGKILL');
      }
    }, 1000);
    this.watchdog.unref();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, ioTimeoutMs: number): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) return;
    if (this.relaunchNow) return this.launch();
    const reason =
      this.pendingReason ??
      classifyExit({
        code,
        signal,
        stderr: this.stderr,
        requestedStop: this.requestedStop,
        stalled: this.stalled,
        sourceKind: sourceKindOf(this.camera.mainUrl),
        elapsedMs: this.now() - this.spawnedAt,
        ioTimeoutMs,
      });
    if (!reason) return;
    if (reason === 'UNSUPPORTED_CODEC' && this.switchToTranscode()) return this.launch();
    if (reason === 'UNSUPPORTED_CODEC' && this.recording) {
      // Live video is transcoded already, so the copy into MP4 segments is what failed.
      this.recordRefused = true;
      const detail = `its ${this.facts.main.sourceCodec ?? 'codec'} cannot be copied into MP4 segments; not recording this camera`;
      this.deps.log(`${this.label()}: ${detail}`);
      this.deps.onRecordingUnavailable?.(detail);
      return this.launch();
    }
    if (this.detect && this.detect.hwaccel !== 'none' && HWACCEL_FAILURE.test(this.stderr.join('\n'))) {
      // Hardware decoding is an optimisation: fall back to software rather than lose the camera.
      const detail = `${this.detect.hwaccel} decoding failed (${this.stderr.at(-1) ?? 'no detail'}); decoding in software`;
      this.deps.log(`${this.label()}: ${detail}`);
      this.detect = { ...this.detect, hwaccel: 'none' };
      this.deps.onHwaccelUnavailable?.(detail);
      return this.launch();
    }
    const wasHealthy = this.liveSince !== null && this.now() - this.liveSince >= HEALTHY_RUN_MS;
    this.failures = wasHealthy ? 1 : this.failures + 1;
    const needsOperator = NEEDS_OPERATOR.has(reason);
    const delay = backoffDelay(this.failures - 1, needsOperator ? OPERATOR_BACKOFF : (this.deps.backoff ?? DEFAULT_BACKOFF), this.deps.random);
    const lastLine = this.stderr.at(-1);
    const message = lastLine ? `${CAMERA_REASONS[reason]} (${lastLine})` : CAMERA_REASONS[reason];
    const state: CameraState = needsOperator ? 'error' : NETWORK_REASONS.has(reason) && this.failures >= 3 ? 'offline' : 'reconnecting';
    this.deps.log(`${this.label()}: ${reason}; retry ${this.failures} in ${Math.round(delay / 100) / 10} s`);
    this.nextRetryAt = this.now() + delay;
    this.setState(state, reason, message, true);
    this.retryTimer = setTimeout(() => this.launch(), delay);
  }

  /**
   * FFmpeg refused to copy the codec into MP4 at all (MS-MPEG4, raw video…), so no init
   * segment ever arrived to inspect: transcode every copied output, when allowed.
   */
  private switchToTranscode(): boolean {
    if (this.camera.options.liveTranscode === 'never') return false;
    const copied = this.roles().filter((role) => this.plan[role] === 'copy');
    if (copied.length === 0) return false;
    const codec = /codec (\w+)/i.exec(this.stderr.join('\n'))?.[1] ?? null;
    for (const role of copied) {
      this.plan = { ...this.plan, [role]: 'transcode' };
      this.facts[role].sourceCodec = codec;
    }
    this.deps.log(`${this.label()}: ${codec ?? 'this codec'} cannot be copied into MP4; transcoding to H.264 for the browser`);
    return true;
  }

  /**
   * Restart at once because what the process should write changed (recording paused or
   * resumed): SIGTERM so FFmpeg closes and lists the open segment, then start again.
   */
  relaunch(): void {
    if (this.stopping) return;
    const child = this.child;
    if (!child) {
      // Waiting out a backoff, or never started: the next start asks for the plan anyway.
      return;
    }
    this.relaunchNow = true;
    this.requestedStop = true;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    force.unref();
    child.once('close', () => clearTimeout(force));
  }

  /** Stop for good (camera disabled, deleted, engine shutdown): SIGTERM, then SIGKILL. */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    for (const dispose of this.hubListeners) dispose();
    const child = this.child;
    this.stopPromise = new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      this.requestedStop = true;
      child.kill('SIGTERM');
    });
    return this.stopPromise;
  }
}
