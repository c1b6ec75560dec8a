// Retention of recorded footage: segments older than the kept days, then the oldest ones
// across all cameras while the total is over the quota. A segment that overlaps a locked
// range (an incident under review, evidence) is never deleted, however old. Work goes in
// small batches with the event loop free between them: a first pass after a long shutdown
// may delete thousands of files.
import { readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { absoluteSegmentPath, dayFolder, DAY_MS } from './segment-layout';
import type { Segment, SegmentsRepo } from './segments-repo';

/** Incidents answer this: true keeps the footage of [startMs, endMs] of that camera. */
export type LockCheck = (cameraId: string, startMs: number, endMs: number) => boolean;

export interface RetentionPolicy {
  /** Footage older than this many days goes. */
  maxAgeDays: number;
  /** Most bytes all segments may take together; null for no quota. */
  quotaBytes: number | null;
}

export interface RetentionResult {
  deleted: number;
  bytesFreed: number;
  /** Segments that were due but overlap a locked range. */
  keptLocked: number;
}

export interface RetentionDeps {
  repo: SegmentsRepo;
  root: string;
  isLocked: () => LockCheck;
  now: () => number;
  log: (line: string) => void;
  /** Segments looked at per batch (default 500). */
  batchSize?: number;
}

export class RecordingRetention {
  private readonly batchSize: number;

  constructor(private readonly deps: RetentionDeps) {
    this.batchSize = Math.max(1, deps.batchSize ?? 500);
  }

  async run(policy: RetentionPolicy): Promise<RetentionResult> {
    const { repo } = this.deps;
    const now = this.deps.now();
    const cutoff = now - policy.maxAgeDays * DAY_MS;
    const isLocked = this.deps.isLocked();
    const result: RetentionResult = { deleted: 0, bytesFreed: 0, keptLocked: 0 };
    let over = policy.quotaBytes === null ? 0 : repo.usage().bytes - policy.quotaBytes;
    let cursor = { startMs: Number.MIN_SAFE_INTEGER, id: Number.MIN_SAFE_INTEGER };
    const touchedDays = new Set<string>();
    for (;;) {
      const page = repo.oldestAfter(cursor, this.batchSize);
      const doomed: Segment[] = [];
      let done = page.length < this.batchSize;
      for (const segment of page) {
        // In start order: once a segment starts after the cutoff, none later is expired.
        if (over <= 0 && segment.startMs >= cutoff) {
          done = true;
          break;
        }
        const expired = segment.endMs < cutoff;
        if (!expired && over <= 0) continue;
        if (isLocked(segment.cameraId, segment.startMs, segment.endMs)) {
          result.keptLocked++;
          continue;
        }
        if (!this.removeFile(segment)) continue;
        doomed.push(segment);
        over -= segment.bytes;
        touchedDays.add(dirname(absoluteSegmentPath(this.deps.root, segment.path)));
      }
      // Rows go after their files: a crash in between leaves a row whose file is gone, which
      // the next pass removes (ENOENT counts as removed), never a file nobody knows about.
      repo.deleteMany(doomed.map((segment) => segment.id));
      result.deleted += doomed.length;
      result.bytesFreed += doomed.reduce((sum, segment) => sum + segment.bytes, 0);
      const last = page.at(-1);
      if (done || !last) break;
      cursor = { startMs: last.startMs, id: last.id };
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.removeEmptyDays(touchedDays, now);
    return result;
  }

  private removeFile(segment: Segment): boolean {
    try {
      unlinkSync(absoluteSegmentPath(this.deps.root, segment.path));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      this.deps.log(`recording: cannot delete ${segment.path}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Empty day folders of the past go; today's and tomorrow's are where FFmpeg writes next. */
  private removeEmptyDays(folders: Set<string>, now: number): void {
    const yesterday = dayFolder(now - DAY_MS);
    for (const folder of folders) {
      const day = folder.split(/[\\/]/).at(-1) ?? '';
      if (day >= yesterday) continue;
      try {
        if (readdirSync(folder).length === 0) rmdirSync(folder);
      } catch {
        // Gone already, or not empty after all: either way nothing to do.
      }
    }
  }
}
