// What a day of tracks costs on disk: a synthetic day of busy cameras written through the
// real TracksWriter (an update per open track per second, a transaction per second, as the
// engine does), into a real SQLite file. The figures in docs/storage.md come from here.
//
//   VIGIL_STORAGE_DAY=1 npx vitest run --project unit test/unit/store/storage-day.test.ts
//
// runs the full day (36 cameras, 24 h; a few minutes) and prints the table. Without the
// variable a one-hour, two-camera slice runs, so the generator cannot rot unnoticed; it
// prints its numbers too and checks only that they are in a sane range (not a timing test).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../../src/shared/detection';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { TracksRepo, TracksWriter, type TrackSample } from '../../../src/main/engine/store/tracks-repo';
import { Random, TRACK_LABELS, tracksPerHour } from '../../support/synthetic-site';

const FULL_DAY = process.env.VIGIL_STORAGE_DAY === '1';
const DAY_START = Date.UTC(2025, 4, 12); // a Monday, 00:00 UTC
const HOUR = 3_600_000;
const SAMPLE_MS = 500; // the tracker keeps 2 samples a second
const FRAME: [number, number] = [1920, 1080];

/**
 * Assumptions for one busy camera (an entrance or a shop floor):
 * tracks started per hour by hour of day: 07-19 h 120/h (two a minute), 19-23 h 40/h,
 * 23-07 h 8/h: 1664 tracks a day. Of them 90 % pass through (log-normal duration, median
 * 12 s), 8 % linger 1-5 min, 2 % stay 10-60 min (a parked car, someone waiting).
 * (Rates and labels: test/support/synthetic-site.ts, shared with bench/review.ts.)
 */

interface SimTrack {
  cameraId: string;
  trackId: number;
  label: string;
  start: number;
  end: number;
  /** Box at the start and pixels per second; stationary tracks only jitter. */
  box: Box;
  velocity: [number, number];
  jitter: number;
  next: number;
  best: TrackSample | null;
}

function planDay(random: Random, cameraIds: string[], hours: number, from: number): SimTrack[] {
  const tracks: SimTrack[] = [];
  for (const cameraId of cameraIds) {
    let trackId = 0;
    for (let h = 0; h < hours; h++) {
      const count = tracksPerHour((from / HOUR + h) % 24);
      for (let i = 0; i < count; i++) {
        const start = Math.round(DAY_START + from + h * HOUR + random.next() * HOUR);
        const kind = random.next();
        const duration = kind < 0.9 ? Math.min(600_000, Math.max(1000, 12_000 * Math.exp(0.8 * random.normal()))) : kind < 0.98 ? random.between(60_000, 300_000) : random.between(600_000, 3_600_000);
        const label = random.pick(TRACK_LABELS);
        const [w, hgt] = label === 'person' ? [80, 200] : label === 'bicycle' ? [120, 160] : label === 'dog' ? [90, 70] : [320, 190];
        const x = random.between(0, FRAME[0] - w);
        const y = random.between(FRAME[1] * 0.3, FRAME[1] - hgt);
        const moving = kind < 0.9;
        tracks.push({
          cameraId,
          trackId: ++trackId,
          label,
          start,
          end: Math.round(start + duration),
          box: [x, y, x + w, y + hgt],
          velocity: moving ? [random.between(-120, 120), random.between(-20, 20)] : [random.between(-3, 3), random.between(-1, 1)],
          jitter: moving ? 2 : 1,
          next: start,
          best: null,
        });
      }
    }
  }
  return tracks.sort((a, b) => a.start - b.start);
}

function sampleAt(random: Random, track: SimTrack, t: number): TrackSample {
  const s = (t - track.start) / 1000;
  const dx = track.velocity[0] * s + track.jitter * random.normal();
  const dy = track.velocity[1] * s + track.jitter * random.normal();
  const [x1, y1, x2, y2] = track.box;
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  const box: Box = [clamp(x1 + dx, FRAME[0]), clamp(y1 + dy, FRAME[1]), clamp(x2 + dx, FRAME[0]), clamp(y2 + dy, FRAME[1])];
  return { t, box, score: Math.min(0.99, Math.max(0.3, 0.7 + 0.12 * random.normal())) };
}

interface DayFigures {
  cameras: number;
  hours: number;
  tracks: number;
  samples: number;
  updates: number;
  flushes: number;
  fileBytes: number;
  vacuumedBytes: number;
  objects: { name: string; bytes: number }[];
  sampleBlobBytes: number;
  writeSeconds: number;
}

/** Simulates `hours` of `cameras` busy cameras from hour `fromHour`, written live, second by second. */
function simulate(db: Db, file: string, cameras: number, hours: number, fromHour: number): DayFigures {
  const random = new Random(42);
  const cameraIds = Array.from({ length: cameras }, () => randomUUID());
  const run = (DAY_START + fromHour * HOUR).toString(36);
  const plan = planDay(random, cameraIds, hours, fromHour * HOUR);
  const writer = new TracksWriter(new TracksRepo(db), { flushIntervalMs: 3_600_000, maxPending: 100_000 });
  const open: SimTrack[] = [];
  let planned = 0;
  let samples = 0;
  let updates = 0;
  const started = performance.now();
  const first = DAY_START + fromHour * HOUR;
  const last = first + hours * HOUR + 3_600_000; // let the longest tracks finish
  for (let now = first + 1000; now <= last; now += 1000) {
    while (planned < plan.length && plan[planned]!.start <= now) open.push(plan[planned++]!);
    for (let i = open.length - 1; i >= 0; i--) {
      const track = open[i]!;
      const until = Math.min(now, track.end);
      const fresh: TrackSample[] = [];
      for (; track.next <= until; track.next += SAMPLE_MS) {
        const sample = sampleAt(random, track, track.next);
        fresh.push(sample);
        if (!track.best || sample.score > track.best.score) track.best = sample;
      }
      samples += fresh.length;
      const ended = now >= track.end;
      const best = track.best!;
      writer.write({
        cameraId: track.cameraId,
        run,
        track: { trackId: track.trackId, label: track.label, firstSeen: track.start, lastSeen: until, bestScore: best.score, bestBox: best.box, bestAt: best.t, samples: fresh },
        frameWidth: FRAME[0],
        frameHeight: FRAME[1],
        ended,
      });
      updates++;
      if (ended) open.splice(i, 1);
    }
    // The writer's one-second timer, without waiting a real second.
    writer.flush();
  }
  writer.close();
  const writeSeconds = (performance.now() - started) / 1000;
  // The snapshot store fills snapshot_ref later: a key such as "2025-05-12/<camera 8>/<track>.jpg".
  db.prepare(`UPDATE tracks SET snapshot_ref = '2025-05-12/' || substr(camera_id, 1, 8) || '/' || replace(track_key, ':', '-') || '.jpg'`).run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const objects = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
  const sampleBlobBytes = db.prepare('SELECT SUM(length(samples)) FROM tracks').pluck().get() as number;
  const tracks = db.prepare('SELECT COUNT(*) FROM tracks').pluck().get() as number;
  const fileBytes = statSync(file).size;
  const vacuumed = `${file}.vacuumed`;
  db.prepare('VACUUM INTO ?').run(vacuumed);
  const vacuumedBytes = statSync(vacuumed).size;
  rmSync(vacuumed);
  return { cameras, hours, tracks, samples, updates, flushes: writer.stats.flushes, fileBytes, vacuumedBytes, objects, sampleBlobBytes, writeSeconds };
}

/** The road not taken: one row per object per analysed frame, measured the same way. */
function perFrameRowBytes(db: Db, rows: number): number {
  db.exec(`CREATE TABLE detections (camera_id TEXT NOT NULL, t INTEGER NOT NULL, track_key TEXT NOT NULL, label TEXT NOT NULL,
           x1 INTEGER, y1 INTEGER, x2 INTEGER, y2 INTEGER, score REAL);
           CREATE INDEX detections_camera_time ON detections (camera_id, t);`);
  const insert = db.prepare('INSERT INTO detections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const random = new Random(7);
  const cameraIds = Array.from({ length: 36 }, () => randomUUID());
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const x = Math.round(random.between(0, 1800));
      const y = Math.round(random.between(0, 900));
      insert.run(cameraIds[i % 36], DAY_START + Math.floor(i / 360) * 200, `lx2k3j9a:${i % 5000}`, 'person', x, y, x + 80, y + 200, 0.5 + random.next() / 2);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name IN ('detections', 'detections_camera_time')").pluck().get() as number;
  return bytes / rows;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function report(f: DayFigures): string {
  const lines = [
    `${f.cameras} cameras x ${f.hours} h: ${f.tracks} tracks, ${f.samples} samples (${(f.samples / f.tracks).toFixed(0)} per track), ${f.updates} writer updates in ${f.flushes} transactions, written in ${f.writeSeconds.toFixed(1)} s`,
    `file after checkpoint: ${mb(f.fileBytes)} MB (${(f.fileBytes / f.tracks).toFixed(0)} B/track); VACUUM INTO: ${mb(f.vacuumedBytes)} MB (${(f.vacuumedBytes / f.tracks).toFixed(0)} B/track)`,
    `sample blobs: ${mb(f.sampleBlobBytes)} MB, ${(f.sampleBlobBytes / f.samples).toFixed(2)} B/sample, ${(f.sampleBlobBytes / f.tracks).toFixed(0)} B/track`,
    ...f.objects.map((o) => `  ${o.name.padEnd(20)} ${mb(o.bytes).padStart(8)} MB  ${(o.bytes / f.tracks).toFixed(0).padStart(5)} B/track`),
  ];
  return lines.join('\n');
}

describe('storage: a day of tracks', () => {
  it(FULL_DAY ? 'measures a full day of 36 busy cameras' : 'measures an hour of two busy cameras (VIGIL_STORAGE_DAY=1 for the full day)', { timeout: 900_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-storage-'));
    const file = join(dir, 'vigil.db');
    const db = openDatabase(file);
    try {
      const figures = FULL_DAY ? simulate(db, file, 36, 24, 0) : simulate(db, file, 2, 1, 9);
      console.log(report(figures));
      expect(figures.tracks).toBeGreaterThan(0);
      // Sanity, not a benchmark: a track costs hundreds of bytes to a few kB, a sample a few bytes.
      expect(figures.fileBytes / figures.tracks).toBeGreaterThan(100);
      expect(figures.fileBytes / figures.tracks).toBeLessThan(20_000);
      expect(figures.sampleBlobBytes / figures.samples).toBeLessThan(12);
      if (FULL_DAY) {
        const perRow = perFrameRowBytes(db, 1_000_000);
        const rowsPerDay = 36 * 5 * 10 * 86_400;
        console.log(`per-frame rows instead: ${perRow.toFixed(1)} B/row x ${(rowsPerDay / 1e6).toFixed(1)} M rows/day = ${((perRow * rowsPerDay) / 1e9).toFixed(1)} GB/day`);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
