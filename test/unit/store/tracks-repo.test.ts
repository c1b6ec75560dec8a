import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type Db } from '../../../src/main/engine/store/database';
import { MIGRATIONS } from '../../../src/main/engine/store/migrations';
import { decodeSamples, encodeSamples, TRACKS_IN_RANGE_SQL, TracksRepo, TracksWriter, type TrackSample } from '../../../src/main/engine/store/tracks-repo';
import { update, walkingTrack } from './track-fixtures';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

let dir = '';
let file = '';
let db: Db;
let repo: TracksRepo;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tracks-'));
  file = join(dir, 'vigil.db');
  db = openDatabase(file);
  repo = new TracksRepo(db);
});

afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Writes whole tracks through a writer, committed at once. */
function store(...updates: ReturnType<typeof update>[]): void {
  const writer = new TracksWriter(repo);
  for (const u of updates) writer.write(u);
  writer.close();
}

describe('sample packing', () => {
  it('round-trips times, pixel boxes and scores, and takes a few bytes a sample', () => {
    const track = walkingTrack(1, T0, 60_000);
    const blob = encodeSamples(track.samples, track.firstSeen);
    const back = decodeSamples(blob, track.firstSeen);
    expect(back).toHaveLength(track.samples.length);
    back.forEach((sample, i) => {
      const original = track.samples[i]!;
      expect(sample.t).toBe(original.t);
      expect(sample.box).toEqual(original.box.map(Math.round));
      expect(Math.abs(sample.score - original.score)).toBeLessThanOrEqual(0.5 / 255 + 1e-9);
    });
    // 121 samples: a few bytes each against ~60 as JSON.
    expect(blob.length / track.samples.length).toBeLessThan(9);
    expect(JSON.stringify(track.samples).length / blob.length).toBeGreaterThan(6);
  });

  it('survives negative deltas, boxes past the frame, long gaps and empty paths', () => {
    const samples: TrackSample[] = [
      { t: T0 - 5, box: [-12, -3, 40.4, 50.6], score: 1.2 },
      { t: T0 + 3_600_000 * 30, box: [8000, 4000, 8191, 4320], score: -1 },
      { t: T0 + 3_600_000 * 30 + 1, box: [0, 0, 1, 1], score: 0.5 },
    ];
    expect(decodeSamples(encodeSamples(samples, T0), T0)).toEqual([
      { t: T0 - 5, box: [-12, -3, 40, 51], score: 1 },
      { t: T0 + 3_600_000 * 30, box: [8000, 4000, 8191, 4320], score: 0 },
      { t: T0 + 3_600_000 * 30 + 1, box: [0, 0, 1, 1], score: 128 / 255 },
    ]);
    expect(decodeSamples(encodeSamples([], T0), T0)).toEqual([]);
  });

  it('refuses a blob in an unknown format or cut short', () => {
    const blob = encodeSamples(walkingTrack(1, T0, 2000).samples, T0);
    expect(() => decodeSamples(Buffer.from([9, 0]), T0)).toThrow(/format 9/);
    expect(() => decodeSamples(blob.subarray(0, blob.length - 1), T0)).toThrow(/cut short/);
  });
});

describe('migration 2', () => {
  it('applies on top of a database that migration 1 created, keeping its rows', () => {
    const old = join(dir, 'old.db');
    const raw = new Database(old);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO settings (key, value_json) VALUES ('grid', '\"3x3\"')").run();
    raw.close();

    const upgraded = openDatabase(old);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(upgraded.prepare("SELECT value_json FROM settings WHERE key = 'grid'").pluck().get()).toBe('"3x3"');
      const indices = upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks' AND sql IS NOT NULL ORDER BY name").pluck().all();
      expect(indices).toEqual(['tracks_camera_long', 'tracks_camera_time', 'tracks_key', 'tracks_last_seen']);
      const tracks = new TracksRepo(upgraded);
      tracks.upsertMany([]);
      expect(tracks.tracksInRange('cam', 0, Date.now())).toEqual([]);
    } finally {
      upgraded.close();
    }
  });

  it('migrates a fresh database in order from 0', () => {
    const fresh = new Database(':memory:');
    migrate(fresh);
    expect(fresh.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'tracks'").pluck().get()).toBe(1);
    fresh.close();
  });
});

describe('TracksRepo', () => {
  it('stores one row per track, with the path decoded on the way out', () => {
    const track = walkingTrack(7, T0, 20_000);
    store(update('lobby', track, true));
    const rows = repo.tracksInRange('lobby', T0, T0 + MIN);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      cameraId: 'lobby',
      trackKey: 'r1:7',
      label: 'person',
      firstSeen: T0,
      lastSeen: T0 + 20_000,
      bestScore: track.bestScore,
      bestBox: track.bestBox.map(Math.round),
      bestAt: track.bestAt,
      frameWidth: 1920,
      frameHeight: 1080,
      ended: true,
      snapshotRef: null,
    });
    expect(rows[0]!.samples.map((s) => s.t)).toEqual(track.samples.map((s) => s.t));
    expect(db.prepare('SELECT COUNT(*) FROM tracks').pluck().get()).toBe(1);
  });

  it('finds tracks overlapping a range, per camera, earliest first, by label, with a limit', () => {
    store(
      update('lobby', walkingTrack(1, T0, 30_000)), // before the range
      update('lobby', walkingTrack(2, T0 + 9 * MIN, 2 * MIN)), // starts before, ends inside
      update('lobby', walkingTrack(3, T0 + 12 * MIN, 30_000, { label: 'car' })), // inside
      update('lobby', walkingTrack(4, T0 + 15 * MIN, 30_000)), // inside
      update('lobby', walkingTrack(5, T0 + 25 * MIN, 30_000)), // after
      update('lobby', walkingTrack(6, T0 - 60 * MIN, 90 * MIN, { label: 'car', stepMs: 10_000 })), // parked car spanning it all
      update('yard', walkingTrack(1, T0 + 12 * MIN, 30_000)), // another camera
    );
    const from = T0 + 10 * MIN;
    const to = T0 + 20 * MIN;
    expect(repo.tracksInRange('lobby', from, to).map((t) => t.trackKey)).toEqual(['r1:6', 'r1:2', 'r1:3', 'r1:4']);
    expect(repo.tracksInRange('lobby', from, to, { labels: ['car'] }).map((t) => t.trackKey)).toEqual(['r1:6', 'r1:3']);
    expect(repo.tracksInRange('lobby', from, to, { labels: ['person', 'bicycle'], limit: 1 }).map((t) => t.trackKey)).toEqual(['r1:2']);
    expect(repo.tracksInRange('lobby', from, to, { labels: [] })).toEqual([]);
    expect(repo.tracksInRange('yard', from, to).map((t) => t.trackKey)).toEqual(['r1:1']);
    expect(repo.tracksInRange('nowhere', from, to)).toEqual([]);
    // Edges count: a track that ends exactly at the instant asked about overlaps it.
    expect(repo.tracksInRange('lobby', T0 + 30_000, T0 + 30_000).map((t) => t.trackKey)).toEqual(['r1:6', 'r1:1']);
    expect(repo.countByLabel('lobby', from, to)).toEqual({ car: 2, person: 2 });
    expect(repo.countByLabel('lobby', T0 + 24 * MIN, T0 + 26 * MIN)).toEqual({ car: 1, person: 1 });
  });

  it('answers range queries from the indices, never a scan from the beginning of time', () => {
    const plan = (sql: string, params: object) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    for (const labels of [null, '["car"]']) {
      const range = plan(TRACKS_IN_RANGE_SQL, { camera: 'c', from: 0, to: 1, labels, limit: -1 });
      // Both bounds on first_seen for the main part; the long part from its own index.
      expect(range).toMatch(/SEARCH tracks USING INDEX tracks_camera_time \(camera_id=\? AND first_seen>\? AND first_seen<\?\)/);
      expect(range).toMatch(/SEARCH tracks USING INDEX tracks_camera_long \(camera_id=\? AND last_seen>\?\)/);
      expect(range).not.toMatch(/SCAN tracks/);
    }
    expect(plan('SELECT id FROM tracks WHERE last_seen < @to ORDER BY last_seen LIMIT 5000', { to: 1 })).toMatch(/USING (COVERING )?INDEX tracks_last_seen/);
  });

  it('records a snapshot key without the writer overwriting it later', () => {
    const track = walkingTrack(1, T0, 10_000);
    const writer = new TracksWriter(repo);
    writer.write(update('lobby', { ...track, samples: track.samples.slice(0, 5), lastSeen: T0 + 2000 }));
    expect(repo.setSnapshotRef('lobby', 'r1:1', 'snap/1.jpg')).toBe(false); // not committed yet
    writer.flush();
    expect(repo.setSnapshotRef('lobby', 'r1:1', 'snap/1.jpg')).toBe(true);
    writer.write(update('lobby', track, true));
    writer.close();
    expect(repo.get('lobby', 'r1:1')).toMatchObject({ snapshotRef: 'snap/1.jpg', lastSeen: T0 + 10_000, ended: true });
  });

  it('closes tracks a previous run left open', () => {
    const writer = new TracksWriter(repo);
    writer.write(update('lobby', walkingTrack(1, T0, 5000)));
    writer.write(update('lobby', walkingTrack(2, T0, 5000), true));
    writer.flush();
    expect(repo.endOpenTracks()).toBe(1);
    expect(repo.get('lobby', 'r1:1')!.ended).toBe(true);
  });
});
