import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { TracksRetention } from '../../../src/main/engine/store/retention';
import { TracksRepo, TracksWriter } from '../../../src/main/engine/store/tracks-repo';
import { update, walkingTrack } from './track-fixtures';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

let dir = '';
let db: Db;
let repo: TracksRepo;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-retention-'));
  db = openDatabase(join(dir, 'vigil.db'));
  repo = new TracksRepo(db);
});

afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Track i of 'cam' runs from T0 + i minutes for 30 s; written out of time order on purpose. */
function seed(count: number, order: number[] = [...Array(count).keys()]): void {
  const writer = new TracksWriter(repo);
  for (const i of order) writer.write(update('cam', walkingTrack(i, T0 + i * MIN, 30_000), true));
  writer.close();
}

function keys(): string[] {
  return db.prepare('SELECT track_key FROM tracks ORDER BY first_seen').pluck().all() as string[];
}

describe('TracksRetention', () => {
  it('deletes at most a batch per transaction, the oldest last-seen first, whatever the insert order', () => {
    seed(12, [5, 11, 0, 7, 3, 9, 1, 10, 2, 8, 6, 4]);
    const retention = new TracksRetention(db, { batchSize: 5 });
    const cutoff = T0 + 8 * MIN + 30_000; // tracks 0-7 ended before it; 8 ends exactly at it and stays
    expect(retention.purgeBatch(cutoff)).toBe(5);
    expect(keys()).toEqual(['r1:5', 'r1:6', 'r1:7', 'r1:8', 'r1:9', 'r1:10', 'r1:11']);
    expect(retention.purgeBatch(cutoff)).toBe(3);
    expect(keys()).toEqual(['r1:8', 'r1:9', 'r1:10', 'r1:11']);
    expect(retention.purgeBatch(cutoff)).toBe(0);
  });

  it('purgeOlderThan runs batch after batch, letting the event loop in between, and returns the total', async () => {
    seed(23);
    const retention = new TracksRetention(db, { batchSize: 5 });
    const batches = vi.spyOn(retention, 'purgeBatch');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const removed = await retention.purgeOlderThan(T0 + 20 * MIN);
    clearInterval(ticker);
    // Tracks 0-19 (last seen by 19:30) go; 20-22 stay.
    expect(removed).toBe(20);
    expect(keys()).toEqual(['r1:20', 'r1:21', 'r1:22']);
    // 5 + 5 + 5 + 5, then an empty batch says it is done.
    expect(batches.mock.results.map((r) => r.value)).toEqual([5, 5, 5, 5, 0]);
    expect(ticks).toBeGreaterThan(0);
  });

  it('keeps a long track that is still being seen, however early it started', async () => {
    const writer = new TracksWriter(repo);
    writer.write(update('cam', walkingTrack(1, T0, 90 * MIN, { stepMs: 60_000, label: 'car' })));
    writer.write(update('cam', walkingTrack(2, T0 + MIN, 30_000), true));
    writer.close();
    expect(await new TracksRetention(db).purgeOlderThan(T0 + 60 * MIN)).toBe(1);
    expect(keys()).toEqual(['r1:1']);
  });

  it('hands over the snapshot keys of the rows it removed', async () => {
    seed(4);
    repo.setSnapshotRef('cam', 'r1:0', 'snapshots/cam/0.jpg');
    repo.setSnapshotRef('cam', 'r1:2', 'snapshots/cam/2.jpg');
    repo.setSnapshotRef('cam', 'r1:3', 'snapshots/cam/3.jpg');
    const removed: string[][] = [];
    const retention = new TracksRetention(db, { batchSize: 2, onSnapshotsRemoved: (refs) => removed.push(refs) });
    expect(await retention.purgeOlderThan(T0 + 3 * MIN)).toBe(3);
    expect(removed.flat().sort()).toEqual(['snapshots/cam/0.jpg', 'snapshots/cam/2.jpg']);
  });

  it('a 20 000-row purge runs as four 5000-row transactions (their timings printed)', async () => {
    const rows = [];
    for (let i = 0; i < 20_000; i++) {
      const track = walkingTrack(i, T0 + i * 1000, 10_000, { stepMs: 500 });
      rows.push({
        cameraId: `cam-${i % 36}`,
        trackKey: `r1:${i}`,
        label: 'person',
        firstSeen: track.firstSeen,
        lastSeen: track.lastSeen,
        bestScore: track.bestScore,
        bestBox: Buffer.alloc(8),
        bestAt: track.bestAt,
        frameWidth: 1920,
        frameHeight: 1080,
        ended: true,
        samples: Buffer.alloc(150, 1),
      });
    }
    repo.upsertMany(rows);
    const retention = new TracksRetention(db);
    const durations: number[] = [];
    const purge = retention.purgeBatch.bind(retention);
    vi.spyOn(retention, 'purgeBatch').mockImplementation((cutoff) => {
      const start = performance.now();
      const removed = purge(cutoff);
      durations.push(performance.now() - start);
      return removed;
    });
    expect(await retention.purgeOlderThan(T0 + 30_000 * 1000)).toBe(20_000);
    expect(durations).toHaveLength(5);
    console.log(`retention: 5000-row batches took ${durations.map((d) => d.toFixed(0)).join(', ')} ms`);
  });
});
