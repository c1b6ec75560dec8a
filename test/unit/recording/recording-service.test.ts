// RecordingService with a temp folder, an in-memory index, a fake clock and a fake disk.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { RecordingService, recordingOptionsFromEnv } from '../../../src/main/engine/recording/recording-service';
import type { DiskSpace } from '../../../src/main/engine/recording/disk-space';
import { isNearlyFull } from '../../../src/main/engine/recording/disk-space';

const GB = 1024 ** 3;
const NOW = Date.parse('2026-03-31T12:00:00Z');
const CAMERA = '6f1c2a9e-0000-4000-8000-000000000001';

let root: string;
let db: Db;
let disk: DiskSpace;
let now: number;
let logs: string[];
let service: RecordingService;

/** An init segment, then (unless empty) one fragment: what FFmpeg leaves when killed. */
function fakeMp4(fragments: boolean): Buffer {
  const box = (type: string, size: number) => {
    const b = Buffer.alloc(size);
    b.writeUInt32BE(size, 0);
    b.write(type, 4, 'latin1');
    return b;
  };
  return Buffer.concat([box('ftyp', 24), box('moov', 800), ...(fragments ? [box('moof', 100), box('mdat', 4000)] : [])]);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-recording-'));
  db = openDatabase(':memory:');
  disk = { freeBytes: 500 * GB, totalBytes: 1000 * GB };
  now = NOW;
  logs = [];
  service = new RecordingService(db, { root, maxAgeDays: 30, quotaBytes: null, diskSpace: () => disk, now: () => now, checkIntervalMs: 3_600_000 }, (line) => logs.push(line));
});

afterEach(async () => {
  await service.stop();
  db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('RecordingService', () => {
  it('plans today and tomorrow folders and indexes each reported segment with wall-clock times', async () => {
    await service.start();
    const plan = service.planFor(CAMERA)!;
    expect(plan).toEqual({ dir: join(root, CAMERA), segmentSeconds: 10, fragmentSeconds: 1 });
    expect(existsSync(join(root, CAMERA, '2026-03-31'))).toBe(true);
    expect(existsSync(join(root, CAMERA, '2026-04-01'))).toBe(true);
    expect(service.planFor('../escape')).toBeNull();

    for (const [i, name] of ['2026-03-31T11-59-40Z.mp4', '2026-03-31T11-59-50Z.mp4'].entries()) {
      writeFileSync(join(root, CAMERA, '2026-03-31', name), fakeMp4(true));
      now = NOW + i * 10_000;
      service.onSegment(CAMERA, { file: name, startSeconds: i * 10, endSeconds: i * 10 + 10.04 });
    }
    const segments = service.segmentsInRange(CAMERA, NOW - 60_000, NOW + 60_000);
    expect(segments.map((s) => [s.startMs - NOW, s.endMs - NOW, s.path, s.recovered])).toEqual([
      [-10_040, 0, `${CAMERA}/2026-03-31/2026-03-31T11-59-40Z.mp4`, false],
      [-40, 10_000, `${CAMERA}/2026-03-31/2026-03-31T11-59-50Z.mp4`, false],
    ]);
    expect(segments[0]!.bytes).toBe(fakeMp4(true).length);
    // Neighbours a few ms apart merge; a gap does not; both are clipped to the range.
    expect(service.coverage(CAMERA, NOW - 5_000, NOW + 60_000)).toEqual([{ startMs: NOW - 5_000, endMs: NOW + 10_000 }]);
    // A camera down for 10 s: a gap in the coverage.
    writeFileSync(join(root, CAMERA, '2026-03-31', '2026-03-31T12-00-20Z.mp4'), fakeMp4(true));
    now = NOW + 30_000;
    service.onSegment(CAMERA, { file: '2026-03-31T12-00-20Z.mp4', startSeconds: 0, endSeconds: 10 });
    expect(service.coverage(CAMERA, NOW - 60_000, NOW + 60_000)).toEqual([
      { startMs: NOW - 10_040, endMs: NOW + 10_000 },
      { startMs: NOW + 20_000, endMs: NOW + 30_000 },
    ]);
  });

  it('at start, indexes files the index lacks as recovered and removes ones without a fragment', async () => {
    const day = join(root, CAMERA, '2026-03-31');
    mkdirSync(day, { recursive: true });
    const listed = join(day, '2026-03-31T11-00-00Z.mp4');
    const open = join(day, '2026-03-31T11-00-10Z.mp4');
    const empty = join(day, '2026-03-31T11-00-20Z.mp4');
    writeFileSync(listed, fakeMp4(true));
    writeFileSync(open, fakeMp4(true));
    writeFileSync(empty, fakeMp4(false));
    const mtime = new Date(Date.parse('2026-03-31T11:00:16.500Z'));
    utimesSync(open, mtime, mtime);
    service.repo.insert({ cameraId: CAMERA, startMs: Date.parse('2026-03-31T11:00:00Z'), endMs: Date.parse('2026-03-31T11:00:10Z'), path: `${CAMERA}/2026-03-31/2026-03-31T11-00-00Z.mp4`, bytes: 1, recovered: false });

    await service.start();
    const segments = service.segmentsInRange(CAMERA, 0, NOW);
    expect(segments.map((s) => [s.path.split('/').at(-1), s.recovered])).toEqual([
      ['2026-03-31T11-00-00Z.mp4', false],
      ['2026-03-31T11-00-10Z.mp4', true],
    ]);
    expect(segments[1]).toMatchObject({ startMs: Date.parse('2026-03-31T11:00:10Z'), endMs: mtime.getTime() });
    expect(existsSync(empty)).toBe(false);
    // A process exit scans again; nothing is indexed twice.
    service.onRecordingEnded(CAMERA);
    expect(service.segmentsInRange(CAMERA, 0, NOW)).toHaveLength(2);
  });

  it('pauses every camera when the disk stays nearly full after retention, and resumes with space', async () => {
    const changes: boolean[] = [];
    service.on('paused', (paused) => changes.push(paused));
    await service.start();
    expect(service.cameraHealth(true)).toEqual({ state: 'recording', reason: null });
    disk = { freeBytes: 1 * GB, totalBytes: 1000 * GB };
    await service.check();
    expect(changes).toEqual([true]);
    expect(service.planFor(CAMERA)).toBeNull();
    expect(service.cameraHealth(true)).toEqual({ state: 'paused', reason: 'RECORDING_DISK_FULL' });
    expect(service.cameraHealth(false)).toEqual({ state: 'off', reason: null });
    await service.check();
    expect(changes).toEqual([true]);
    disk = { freeBytes: 100 * GB, totalBytes: 1000 * GB };
    await service.check();
    expect(changes).toEqual([true, false]);
    expect(service.planFor(CAMERA)).not.toBeNull();
    expect(logs.join('\n')).toContain('RECORDING_DISK_FULL');
  });

  it('retention on a nearly full disk runs before the decision: freed space keeps recording on', async () => {
    const day = join(root, CAMERA, '2026-02-01');
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, '2026-02-01T00-00-00Z.mp4'), Buffer.alloc(10));
    service.repo.insert({ cameraId: CAMERA, startMs: Date.parse('2026-02-01T00:00:00Z'), endMs: Date.parse('2026-02-01T00:00:10Z'), path: `${CAMERA}/2026-02-01/2026-02-01T00-00-00Z.mp4`, bytes: 10, recovered: false });
    // The fake disk frees space when the old file is deleted.
    service = new RecordingService(db, { root, maxAgeDays: 30, quotaBytes: null, diskSpace: () => (existsSync(join(day, '2026-02-01T00-00-00Z.mp4')) ? { freeBytes: 0, totalBytes: 1000 * GB } : disk), now: () => now }, () => undefined);
    await service.start();
    expect(service.isPaused()).toBe(false);
  });
});

describe('disk threshold and environment', () => {
  it('nearly full below max(2 GB, 3 %)', () => {
    expect(isNearlyFull({ freeBytes: 1.9 * GB, totalBytes: 10 * GB })).toBe(true);
    expect(isNearlyFull({ freeBytes: 2.1 * GB, totalBytes: 10 * GB })).toBe(false);
    expect(isNearlyFull({ freeBytes: 29 * GB, totalBytes: 1000 * GB })).toBe(true);
    expect(isNearlyFull({ freeBytes: 31 * GB, totalBytes: 1000 * GB })).toBe(false);
  });

  it('reads days and quota from the environment, ignoring nonsense', () => {
    const logs: string[] = [];
    expect(recordingOptionsFromEnv({ VIGIL_RECORDING_DAYS: '7', VIGIL_RECORDING_QUOTA_GB: '1.5' }, '/data', (l) => logs.push(l))).toEqual({ root: join('/data', 'recordings'), maxAgeDays: 7, quotaBytes: 1.5 * GB });
    expect(recordingOptionsFromEnv({ VIGIL_RECORDING_DAYS: 'lots' }, '/data', (l) => logs.push(l))).toMatchObject({ maxAgeDays: 30, quotaBytes: null });
    expect(logs).toEqual(['recording: ignoring VIGIL_RECORDING_DAYS=lots: not a positive number']);
  });
});
