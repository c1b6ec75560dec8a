// Retention with a fake clock and fake segment files in a temp folder: days, then the quota,
// oldest first across cameras, locked ranges kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { RecordingRetention, type LockCheck } from '../../../src/main/engine/recording/recording-retention';
import { SegmentsRepo } from '../../../src/main/engine/recording/segments-repo';
import { absoluteSegmentPath, segmentPath } from '../../../src/main/engine/recording/segment-layout';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-31T12:00:00Z');

let root: string;
let db: Db;
let repo: SegmentsRepo;
let now: number;
let locks: LockCheck;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-retention-'));
  db = openDatabase(':memory:');
  repo = new SegmentsRepo(db);
  now = NOW;
  locks = () => false;
});

afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fake segment: a file of `bytes` bytes and its row. */
function segment(cameraId: string, startMs: number, bytes = 1000, durationMs = 10_000): string {
  const name = new Date(startMs).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-') + '.mp4';
  const path = segmentPath(cameraId, name)!;
  const file = absoluteSegmentPath(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, Buffer.alloc(bytes));
  repo.insert({ cameraId, startMs, endMs: startMs + durationMs, path, bytes, recovered: false });
  return path;
}

function retention(batchSize = 500): RecordingRetention {
  return new RecordingRetention({ repo, root, isLocked: () => locks, now: () => now, log: () => undefined, batchSize });
}

function remaining(): string[] {
  return repo.oldestAfter({ startMs: Number.MIN_SAFE_INTEGER, id: 0 }, 1000).map((s) => s.path);
}

describe('RecordingRetention', () => {
  it('deletes files and rows older than the kept days, and their empty day folders', async () => {
    const old = [segment('a', NOW - 31 * DAY), segment('b', NOW - 30 * DAY - 20_000)];
    const kept = [segment('a', NOW - 29 * DAY), segment('b', NOW - 60_000)];
    const result = await retention().run({ maxAgeDays: 30, quotaBytes: null });
    expect(result).toEqual({ deleted: 2, bytesFreed: 2000, keptLocked: 0 });
    expect(remaining()).toEqual(kept);
    for (const path of old) expect(existsSync(absoluteSegmentPath(root, path))).toBe(false);
    for (const path of kept) expect(existsSync(absoluteSegmentPath(root, path))).toBe(true);
    expect(existsSync(join(root, 'a', '2026-02-28'))).toBe(false);
    expect(repo.usage()).toEqual({ bytes: 2000, segments: 2 });
  });

  it('over the quota: the oldest go first across cameras until the total fits', async () => {
    const t0 = NOW - 3 * 3600_000;
    const a1 = segment('a', t0, 100);
    const b1 = segment('b', t0 + 5_000, 100);
    const a2 = segment('a', t0 + 10_000, 100);
    const b2 = segment('b', t0 + 15_000, 100);
    const a3 = segment('a', t0 + 20_000, 100);
    const result = await retention(2).run({ maxAgeDays: 30, quotaBytes: 250 });
    expect(result.deleted).toBe(3);
    expect(remaining()).toEqual([b2, a3]);
    for (const path of [a1, b1, a2]) expect(existsSync(absoluteSegmentPath(root, path))).toBe(false);
    expect(repo.usage().bytes).toBe(200);
  });

  it('never deletes a segment that overlaps a locked range, by age or by quota', async () => {
    const lockedOld = segment('a', NOW - 40 * DAY);
    segment('a', NOW - 39 * DAY);
    const lockedNew = segment('b', NOW - 2 * 3600_000, 100);
    const newer = segment('b', NOW - 3600_000, 100);
    const lockedRanges = [
      { camera: 'a', from: NOW - 40 * DAY + 5_000, to: NOW - 40 * DAY + 6_000 },
      { camera: 'b', from: NOW - 2 * 3600_000 - 60_000, to: NOW - 2 * 3600_000 + 1 },
    ];
    const asked: string[] = [];
    locks = (cameraId, startMs, endMs) => {
      asked.push(cameraId);
      return lockedRanges.some((lock) => lock.camera === cameraId && startMs <= lock.to && endMs >= lock.from);
    };
    const result = await retention().run({ maxAgeDays: 30, quotaBytes: 150 });
    expect(result.keptLocked).toBe(2);
    // Age took the unlocked old one; the quota then skipped the locked segment and took the next.
    expect(remaining()).toEqual([lockedOld, lockedNew]);
    expect(existsSync(absoluteSegmentPath(root, lockedOld))).toBe(true);
    expect(existsSync(absoluteSegmentPath(root, newer))).toBe(false);
  });

  it('a file already gone still loses its row; within days and quota nothing is touched', async () => {
    const gone = segment('a', NOW - 31 * DAY);
    rmSync(absoluteSegmentPath(root, gone));
    const kept = segment('a', NOW - DAY);
    expect((await retention().run({ maxAgeDays: 30, quotaBytes: 10_000 })).deleted).toBe(1);
    expect(remaining()).toEqual([kept]);
    now += 1000;
    expect(await retention().run({ maxAgeDays: 30, quotaBytes: 10_000 })).toEqual({ deleted: 0, bytesFreed: 0, keptLocked: 0 });
  });
});
