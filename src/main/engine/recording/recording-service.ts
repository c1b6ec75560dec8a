// Continuous recording: each camera's own FFmpeg writes the segments (cameras/ffmpeg-argv.ts);
// this service decides whether and where it records, indexes each segment FFmpeg reports
// closed, recovers the ones a crash left unreported, keeps the footage within its days and
// quota, and pauses every camera's recording while the disk is nearly full.
import { EventEmitter } from 'node:events';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncidentReason } from '../../../shared/reasons';
import type { RecordPlan } from '../cameras/ffmpeg-argv';
import type { SegmentNotice } from './segment-list';
import { isNearlyFull, statfsProbe, type DiskSpaceProbe } from './disk-space';
import { RecordingRetention, type LockCheck, type RetentionPolicy } from './recording-retention';
import { absoluteSegmentPath, cameraFolder, segmentPath, upcomingDays } from './segment-layout';
import { cameraIdsOnDisk, recoverCamera } from './segment-recovery';
import { SegmentsRepo, type Interval, type NewSegment, type Segment } from './segments-repo';
import type { Db } from '../store/database';

export const SEGMENT_SECONDS = 10;
export const FRAGMENT_SECONDS = 1;
const DEFAULT_DAYS = 30;
const CHECK_INTERVAL_MS = 30_000;
/** Camera ids become folder names: anything but a plain id is refused. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RecordingOptions extends RetentionPolicy {
  /** The recordings folder. */
  root: string;
  /** How often retention runs and the disk is checked (default 30 s). */
  checkIntervalMs?: number;
  diskSpace?: DiskSpaceProbe;
  isLocked?: LockCheck;
  now?: () => number;
}

export interface RecordingHealth {
  state: 'recording' | 'paused' | 'off';
  reason: IncidentReason | null;
}

/** Days and quota from VIGIL_RECORDING_DAYS and VIGIL_RECORDING_QUOTA_GB; the folder from VIGIL_RECORDINGS_DIR. */
export function recordingOptionsFromEnv(env: NodeJS.ProcessEnv, dataDir: string, log: (line: string) => void): RecordingOptions {
  const number = (name: string): number | null => {
    const text = env[name]?.trim();
    if (!text) return null;
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) return value;
    log(`recording: ignoring ${name}=${text}: not a positive number`);
    return null;
  };
  const quotaGb = number('VIGIL_RECORDING_QUOTA_GB');
  return {
    root: env.VIGIL_RECORDINGS_DIR?.trim() || join(dataDir, 'recordings'),
    maxAgeDays: number('VIGIL_RECORDING_DAYS') ?? DEFAULT_DAYS,
    quotaBytes: quotaGb === null ? null : Math.round(quotaGb * 1024 ** 3),
  };
}

export class RecordingService extends EventEmitter<{ paused: [boolean] }> {
  readonly repo: SegmentsRepo;
  private readonly retention: RecordingRetention;
  private readonly now: () => number;
  private readonly diskSpace: DiskSpaceProbe;
  private isLocked: LockCheck;
  private paused = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    db: Db,
    private readonly options: RecordingOptions,
    private readonly log: (line: string) => void,
  ) {
    super();
    this.repo = new SegmentsRepo(db);
    this.now = options.now ?? Date.now;
    this.diskSpace = options.diskSpace ?? statfsProbe;
    this.isLocked = options.isLocked ?? (() => false);
    this.retention = new RecordingRetention({ repo: this.repo, root: options.root, isLocked: () => this.isLocked, now: this.now, log });
  }

  get root(): string {
    return this.options.root;
  }

  /** Recovers what the last run left unindexed, checks the disk once, then every interval. */
  async start(): Promise<void> {
    mkdirSync(this.options.root, { recursive: true });
    for (const cameraId of cameraIdsOnDisk(this.options.root)) {
      if (SAFE_ID.test(cameraId)) recoverCamera(this.options.root, cameraId, this.repo, this.log);
    }
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs ?? CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
  }

  /** Incidents keep their footage: called with each segment retention would delete. */
  setLockCheck(isLocked: LockCheck): void {
    this.isLocked = isLocked;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /**
   * Asked by the camera's supervisor at every FFmpeg start: the plan, or null while paused.
   * Makes today's and tomorrow's folders, so a segment opened after midnight has its folder.
   */
  planFor(cameraId: string): RecordPlan | null {
    if (this.paused || this.stopped || !SAFE_ID.test(cameraId)) return null;
    const dir = cameraFolder(this.options.root, cameraId);
    try {
      for (const day of upcomingDays(this.now())) mkdirSync(join(dir, day), { recursive: true });
    } catch (error) {
      this.log(`recording: camera ${cameraId} not recorded: cannot create its folder: ${(error as Error).message}`);
      return null;
    }
    return { dir, segmentSeconds: SEGMENT_SECONDS, fragmentSeconds: FRAGMENT_SECONDS };
  }

  /**
   * FFmpeg closed a segment. It reports times on the stream's clock; the segment ended just
   * now on the wall clock (the list line is written as the file closes), and began its own
   * duration earlier.
   */
  onSegment(cameraId: string, notice: SegmentNotice): NewSegment | null {
    const path = segmentPath(cameraId, notice.file);
    if (!path) {
      this.log(`recording: camera ${cameraId} reported a segment with an unexpected name: ${notice.file}`);
      return null;
    }
    let bytes: number;
    try {
      bytes = statSync(absoluteSegmentPath(this.options.root, path)).size;
    } catch (error) {
      this.log(`recording: segment ${path} reported but unreadable: ${(error as Error).message}`);
      return null;
    }
    const endMs = this.now();
    const startMs = endMs - Math.round((notice.endSeconds - notice.startSeconds) * 1000);
    const segment: NewSegment = { cameraId, startMs, endMs, path, bytes, recovered: false };
    this.repo.insert(segment);
    return segment;
  }

  /** A recording FFmpeg ended: index the open segment it never listed. */
  onRecordingEnded(cameraId: string): void {
    if (this.stopped || !SAFE_ID.test(cameraId)) return;
    recoverCamera(this.options.root, cameraId, this.repo, this.log);
  }

  segmentsInRange(cameraId: string, fromMs: number, toMs: number): Segment[] {
    return this.repo.segmentsInRange(cameraId, fromMs, toMs);
  }

  coverage(cameraId: string, fromMs: number, toMs: number): Interval[] {
    return this.repo.coverage(cameraId, fromMs, toMs);
  }

  /** `wanted`: the camera is enabled, has recording on and a source that can be recorded. */
  cameraHealth(wanted: boolean): RecordingHealth {
    if (!wanted) return { state: 'off', reason: null };
    return this.paused ? { state: 'paused', reason: 'RECORDING_DISK_FULL' } : { state: 'recording', reason: null };
  }

  /** Retention, then the disk: still nearly full after retention pauses recording. One at a time. */
  check(): Promise<void> {
    return (this.checking ??= this.runCheck().finally(() => (this.checking = null)));
  }

  private async runCheck(): Promise<void> {
    try {
      const result = await this.retention.run(this.options);
      if (result.deleted > 0 || result.keptLocked > 0) {
        this.log(`recording: retention deleted ${result.deleted} segment(s), ${Math.round(result.bytesFreed / 1024 ** 2)} MB; kept ${result.keptLocked} locked`);
      }
      if (this.stopped) return;
      const full = isNearlyFull(this.diskSpace(this.options.root));
      if (full === this.paused) return;
      this.paused = full;
      this.log(full ? 'recording: RECORDING_DISK_FULL: the disk is nearly full; recording paused on every camera' : 'recording: disk space available again; recording resumed');
      this.emit('paused', full);
    } catch (error) {
      this.log(`recording: check failed: ${(error as Error).message}`);
    }
  }
}
