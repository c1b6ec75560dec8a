import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { TracksRepo, TracksWriter } from '../../../src/main/engine/store/tracks-repo';
import { trackSoFar, update, walkingTrack } from './track-fixtures';

const T0 = 1_700_000_000_000;
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

let dir = '';
let file = '';
let db: Db;
let repo: TracksRepo;
const writers: TracksWriter[] = [];

function writer(options: ConstructorParameters<typeof TracksWriter>[1] = {}): TracksWriter {
  const w = new TracksWriter(repo, { onError: () => {}, ...options });
  writers.push(w);
  return w;
}

/** What another connection (the API, or the next start after a crash) sees. */
function committed(): { track_key: string; last_seen: number; ended: number; n: number }[] {
  const reader = new Database(file, { readonly: true });
  try {
    return reader.prepare('SELECT track_key, last_seen, ended, length(samples) AS n FROM tracks ORDER BY id').all() as never;
  } finally {
    reader.close();
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-writer-'));
  file = join(dir, 'vigil.db');
  db = openDatabase(file);
  repo = new TracksRepo(db);
});

afterEach(async () => {
  vi.useRealTimers();
  for (const w of writers.splice(0)) {
    try {
      w.close();
    } catch {
      // a test that broke the database on purpose
    }
  }
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TracksWriter', () => {
  it('inserts an ongoing track when it starts and updates the same row as it goes', () => {
    const w = writer();
    const track = walkingTrack(1, T0, 10_000);
    w.write(update('lobby', trackSoFar(track, T0 + 2000)));
    expect(committed()).toEqual([]);
    expect(w.flush()).toBe(1);
    expect(repo.get('lobby', 'r1:1')).toMatchObject({ lastSeen: T0 + 2000, ended: false });
    expect(repo.get('lobby', 'r1:1')!.samples).toHaveLength(5);

    w.write(update('lobby', trackSoFar(track, T0 + 6000)));
    w.flush();
    w.write(update('lobby', track, true));
    w.flush();
    const stored = repo.get('lobby', 'r1:1')!;
    expect(stored).toMatchObject({ lastSeen: T0 + 10_000, ended: true, bestScore: track.bestScore });
    expect(stored.samples.map((s) => s.t)).toEqual(track.samples.map((s) => s.t));
    expect(committed()).toHaveLength(1);
    // Ended and committed: nothing left in memory.
    expect(w.pendingCount).toBe(0);
    expect(w.flush()).toBe(0);
  });

  it('takes the tracker’s samples whole or as deltas, and keeps each one once', () => {
    const track = walkingTrack(1, T0, 10_000);
    const w = writer();
    // Deltas: each update carries only the samples since the previous one.
    for (let at = 0; at <= 10_000; at += 2000) {
      w.write(update('lobby', { ...trackSoFar(track, T0 + at), samples: track.samples.filter((s) => s.t > T0 + at - 2000 && s.t <= T0 + at) }));
    }
    // Whole paths, repeated: nothing is doubled.
    w.write(update('yard', trackSoFar(track, T0 + 4000)));
    w.write(update('yard', trackSoFar(track, T0 + 4000)));
    w.write(update('yard', track));
    w.flush();
    expect(repo.get('lobby', 'r1:1')!.samples.map((s) => s.t)).toEqual(track.samples.map((s) => s.t));
    expect(repo.get('yard', 'r1:1')!.samples.map((s) => s.t)).toEqual(track.samples.map((s) => s.t));
  });

  it('batches: many updates within the interval become one transaction', () => {
    vi.useFakeTimers();
    const w = writer({ flushIntervalMs: 1000 });
    const upserts = vi.spyOn(repo, 'upsertMany');
    for (let id = 1; id <= 50; id++) {
      const track = walkingTrack(id, T0, 4000);
      // Three updates each: 150 updates, 50 tracks.
      for (const at of [1000, 2000, 4000]) w.write(update('lobby', trackSoFar(track, T0 + at)));
    }
    vi.advanceTimersByTime(999);
    expect(committed()).toEqual([]);
    expect(w.pendingCount).toBe(50);
    vi.advanceTimersByTime(1);
    expect(upserts).toHaveBeenCalledTimes(1);
    expect(upserts.mock.calls[0]![0]).toHaveLength(50);
    expect(w.stats).toEqual({ flushes: 1, rows: 50, failures: 0 });
    const rows = committed();
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.last_seen === T0 + 4000)).toBe(true);
  });

  it('commits at once when the batch is full', () => {
    const w = writer({ flushIntervalMs: 60_000, maxPending: 10 });
    for (let id = 1; id <= 9; id++) w.write(update('lobby', walkingTrack(id, T0, 1000)));
    expect(committed()).toHaveLength(0);
    w.write(update('lobby', walkingTrack(10, T0, 1000)));
    expect(committed()).toHaveLength(10);
    w.write(update('lobby', walkingTrack(11, T0, 1000)));
    expect(w.pendingCount).toBe(1);
  });

  it('a failed commit writes nothing of its batch, keeps it, and the next flush writes it all', () => {
    const w = writer();
    const first = walkingTrack(1, T0, 10_000);
    w.write(update('lobby', trackSoFar(first, T0 + 2000)));
    w.flush();
    // The disk "fails" on the third row of the next batch.
    db.exec(`CREATE TEMP TRIGGER fail BEFORE INSERT ON main.tracks WHEN NEW.label = 'boom' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    w.write(update('lobby', first)); // an update of the committed row
    w.write(update('lobby', walkingTrack(2, T0, 3000)));
    w.write(update('lobby', walkingTrack(3, T0, 3000, { label: 'boom' })));
    expect(() => w.flush()).toThrow(/disk I\/O error/);
    expect(committed()).toEqual([expect.objectContaining({ track_key: 'r1:1', last_seen: T0 + 2000 })]);
    expect(w.pendingCount).toBe(3);
    expect(w.stats.failures).toBe(1);
    db.exec('DROP TRIGGER fail');
    expect(w.flush()).toBe(3);
    expect(committed().map((r) => [r.track_key, r.last_seen])).toEqual([
      ['r1:1', T0 + 10_000],
      ['r1:2', T0 + 3000],
      ['r1:3', T0 + 3000],
    ]);
  });

  it('reports a timed flush that failed and retries it', () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const w = writer({ onError: (error) => errors.push(error.message) });
    db.exec(`CREATE TEMP TRIGGER fail BEFORE INSERT ON main.tracks BEGIN SELECT RAISE(ABORT, 'database is locked'); END`);
    w.write(update('lobby', walkingTrack(1, T0, 1000)));
    vi.advanceTimersByTime(1000);
    expect(errors).toEqual(['database is locked']);
    db.exec('DROP TRIGGER fail');
    vi.advanceTimersByTime(1000);
    expect(committed()).toHaveLength(1);
  });

  it('a process killed in the middle of a flush loses that flush only, never half of it', async () => {
    // A real crash: a child process writes a committed batch, then dies by SIGKILL halfway
    // through the next transaction (a SQL function called by a trigger kills it).
    const script = join(dir, 'crash.ts');
    await writeFile(
      script,
      `import { openDatabase } from ${JSON.stringify(join(REPO_ROOT, 'src/main/engine/store/database'))};
       import { TracksRepo, TracksWriter } from ${JSON.stringify(join(REPO_ROOT, 'src/main/engine/store/tracks-repo'))};
       import { update, walkingTrack, trackSoFar } from ${JSON.stringify(join(REPO_ROOT, 'test/unit/store/track-fixtures'))};
       const db = openDatabase(process.argv[2]);
       const writer = new TracksWriter(new TracksRepo(db));
       const tracks = [1, 2, 3, 4].map((id) => walkingTrack(id, ${T0}, 10_000));
       for (const t of tracks) writer.write(update('lobby', trackSoFar(t, ${T0} + 2000)));
       writer.flush();
       db.function('die', () => process.kill(process.pid, 'SIGKILL'));
       db.exec("CREATE TEMP TRIGGER die AFTER UPDATE ON main.tracks WHEN NEW.track_key = 'r1:3' BEGIN SELECT die(); END");
       for (const t of tracks) writer.write(update('lobby', t, true));
       writer.write(update('lobby', walkingTrack(5, ${T0}, 1000)));
       writer.flush();
       console.log('not reached');`,
    );
    const bundle = join(dir, 'crash.cjs');
    buildSync({ entryPoints: [script], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3'], logLevel: 'silent' });
    db.close();
    const child = spawnSync(process.execPath, [bundle, file], { env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') }, encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toMatch(/not reached/);
    // Tracks 1 and 2 were updated in the killed transaction before it died: not a trace of it.
    const rows = committed();
    expect(rows.map((r) => [r.track_key, r.last_seen, r.ended])).toEqual([
      ['r1:1', T0 + 2000, 0],
      ['r1:2', T0 + 2000, 0],
      ['r1:3', T0 + 2000, 0],
      ['r1:4', T0 + 2000, 0],
    ]);
    // The database is whole: integrity check passes and it opens for writing again.
    db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('thins a long track to an even, lower rate and keeps its newest position', () => {
    const w = writer({ maxSamples: 100 });
    const track = walkingTrack(1, T0, 60 * 60_000); // an hour at 2/s: 7201 samples
    for (let at = 0; at <= 60 * 60_000; at += 10_000) w.write(update('lobby', { ...trackSoFar(track, T0 + at), samples: track.samples.filter((s) => s.t > T0 + at - 10_000 && s.t <= T0 + at) }));
    w.flush();
    const samples = repo.get('lobby', 'r1:1')!.samples;
    expect(samples.length).toBeLessThanOrEqual(101);
    expect(samples.length).toBeGreaterThan(40);
    expect(samples[0]!.t).toBe(T0);
    expect(samples.at(-1)!.t).toBe(T0 + 60 * 60_000);
    const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t);
    // Even: the widest gap (the oldest part, thinned the most) within ~2x of the typical one,
    // apart from the newest position, which may sit closer to the last grid sample.
    const sorted = gaps.slice(0, -1).sort((a, b) => a - b);
    expect(sorted.at(-1)! / sorted[Math.floor(sorted.length / 2)]!).toBeLessThanOrEqual(2);
  });

  it('closes the open tracks of a stopped camera, and tracks whose tracker went quiet', () => {
    let clock = T0;
    const w = writer({ now: () => clock, staleAfterMs: 60_000 });
    w.write(update('lobby', walkingTrack(1, T0, 1000)));
    w.write(update('yard', walkingTrack(1, T0, 1000)));
    w.write(update('gate', walkingTrack(1, T0, 1000)));
    w.flush();
    w.endCamera('lobby');
    w.flush();
    expect(repo.get('lobby', 'r1:1')!.ended).toBe(true);
    expect(repo.get('yard', 'r1:1')!.ended).toBe(false);
    clock += 30_000;
    w.write(update('gate', walkingTrack(1, T0, 31_000)));
    clock += 40_000;
    w.flush();
    // yard: silent for 70 s, closed; gate: updated 40 s ago, still open.
    expect(repo.get('yard', 'r1:1')!.ended).toBe(true);
    expect(repo.get('gate', 'r1:1')!.ended).toBe(false);
  });

  it('keeps runs apart: a restarted tracker reusing id 1 makes a new row', () => {
    const w = writer();
    w.write(update('lobby', walkingTrack(1, T0, 1000), true, 'run-a'));
    w.write(update('lobby', walkingTrack(1, T0 + 5000, 1000), true, 'run-b'));
    w.close();
    expect(committed().map((r) => r.track_key)).toEqual(['run-a:1', 'run-b:1']);
  });

  it('close commits what is pending and refuses later writes', () => {
    const w = writer({ flushIntervalMs: 60_000 });
    w.write(update('lobby', walkingTrack(1, T0, 1000)));
    w.close();
    expect(committed()).toHaveLength(1);
    expect(() => w.write(update('lobby', walkingTrack(2, T0, 1000)))).toThrow(/closed/);
  });
});
