// npm run bench:review — how review's queries scale with a month of history.
//
//   baseline: a database holding one camera-day;
//   full:     36 cameras x 30 days (about 1.8 M tracks, 9 M segments, 32 k incidents),
//
// both built through the real migrations and repositories (bench/review-data.ts), then
// queried through the real ReviewService on a fresh connection opened as the engine opens
// it, each answer serialised to JSON as the API sends it. Views of one hour, one day and one
// week at random cameras and times: the timeline (coverage, incidents, density), the
// recordings list and the tracks with their paths. Figures are printed and saved to
// bench/results/review.json. Options: --cameras N, --days D, --queries Q, --keep.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/main/engine/store/database';
import { openDatabase } from '../src/main/engine/store/database';
import { ReviewService } from '../src/main/engine/review/review-service';
import { percentile } from './proc-stats';
import { buildProposedIndex, PROPOSED_INDEX, timelineParts, wholeRowCoverage } from './review-parts';
import { checkSegmentRows, DAY, generateHistory, HOUR, Random, type Generated } from './review-data';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const CAMERAS = arg('cameras', 36);
const DAYS = arg('days', 30);
const QUERIES = arg('queries', 100);
const KEEP = process.argv.includes('--keep');
const START = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
const TARGET_MS = 50;
const VIEWS = [
  { name: 'hour', ms: HOUR, queries: QUERIES },
  { name: 'day', ms: DAY, queries: QUERIES },
  { name: 'week', ms: 7 * DAY, queries: Math.max(20, Math.round(QUERIES / 4)) },
];
const PARTS = ['timeline', 'recordings', 'tracks'] as const;
type Part = (typeof PARTS)[number];

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Built extends Generated {
  file: string;
  cameras: string[];
  days: number;
  seconds: number;
  fileBytes: number;
  objects: Record<string, number>;
}

function build(dir: string, cameras: number, days: number): Built {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'vigil.db');
  const db = openDatabase(file);
  // Generation only: a big page cache keeps the indices being filled in memory.
  db.pragma('cache_size = -1000000');
  const ids = Array.from({ length: cameras }, () => randomUUID());
  const began = performance.now();
  let lastReport = began;
  const counts = generateHistory(db, {
    cameras: ids,
    days,
    start: START,
    seed: 42 + cameras,
    progress: (done, total) => {
      if (performance.now() - lastReport < 15_000 && done < total) return;
      lastReport = performance.now();
      console.log(`  ${cameras} camera(s): ${done}/${total} hours written in ${Math.round((lastReport - began) / 1000)} s`);
    },
  });
  const seconds = (performance.now() - began) / 1000;
  checkSegmentRows(db, ids[0]!);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const objects = Object.fromEntries((db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[]).map((r) => [r.name, r.bytes]));
  db.close();
  return { ...counts, file, cameras: ids, days, seconds, fileBytes: statSync(file).size, objects };
}

type Figures = Record<Part | 'total', { p50: number; p95: number; max: number }> & { responseKb: Record<Part, number> };

/** Random views on a fresh connection, as the engine opens it (its small page cache included). */
function measure(built: Built, view: (typeof VIEWS)[number], random: Random): Figures {
  const db: Db = openDatabase(built.file);
  const review = new ReviewService({ db, cameraExists: () => true, recordingsRoot: null, frames: null });
  const times: Record<Part | 'total', number[]> = { timeline: [], recordings: [], tracks: [], total: [] };
  const bytes: Record<Part, number[]> = { timeline: [], recordings: [], tracks: [] };
  const span = built.days * DAY;
  for (let i = -5; i < view.queries; i++) {
    const camera = built.cameras[random.int(0, built.cameras.length)]!;
    const from = START + Math.round(random.next() * Math.max(0, span - view.ms));
    const to = from + view.ms;
    const run: Record<Part, () => unknown> = {
      timeline: () => review.timeline(camera, { from, to, buckets: 200 }),
      recordings: () => review.recordings(camera, { from, to, limit: 1000 }),
      tracks: () => review.tracks(camera, { from, to, limit: 1000 }),
    };
    let total = 0;
    for (const part of PARTS) {
      const began = performance.now();
      const text = JSON.stringify(run[part]());
      const ms = performance.now() - began;
      total += ms;
      // The first few queries warm the connection; they are not counted.
      if (i < 0) continue;
      times[part].push(ms);
      bytes[part].push(text.length);
    }
    if (i >= 0) times.total.push(total);
  }
  db.close();
  const stats = (values: number[]) => ({ p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) });
  const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length / 1024);
  return {
    timeline: stats(times.timeline),
    recordings: stats(times.recordings),
    tracks: stats(times.tracks),
    total: stats(times.total),
    responseKb: { timeline: mean(bytes.timeline), recordings: mean(bytes.recordings), tracks: mean(bytes.tracks) },
  };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-review-'));
  console.log(`bench:review: building databases in ${dir}`);
  const began = performance.now();
  try {
    const baseline = build(join(dir, 'baseline'), 1, 1);
    const full = build(join(dir, 'full'), CAMERAS, DAYS);
    const random = new Random(7);
    const loadBefore = loadavg()[0]!;
    const results: Record<string, { baseline: Figures; full: Figures }> = {};
    for (const view of VIEWS) results[view.name] = { baseline: measure(baseline, view, random), full: measure(full, view, random) };
    const coverageDay = { whole: wholeRowCoverage(full.file, full.cameras, START, DAYS * DAY, QUERIES, random), lean: results.day!.full.timeline };
    // Where the full database's timeline time goes, then the same through the proposed index.
    const partsQuery = (view: (typeof VIEWS)[number]) => ({ file: full.file, cameras: full.cameras, start: START, spanMs: DAYS * DAY, viewMs: view.ms, queries: view.queries });
    const parts = Object.fromEntries(VIEWS.map((view) => [view.name, timelineParts(partsQuery(view), random)]));
    const proposed = buildProposedIndex(full.file);
    const partsWithIndex = Object.fromEntries(VIEWS.map((view) => [view.name, timelineParts({ ...partsQuery(view), proposedIndex: true }, random)]));

    const cameraDays = CAMERAS * DAYS;
    const perCameraDay = (bytes: number, n = cameraDays) => Math.round(bytes / n);
    // Tables with their indices, SQLite's own UNIQUE ones (sqlite_autoindex_<table>_N) included.
    const group = (objects: Record<string, number>, ...tables: string[]) => Object.entries(objects).filter(([name]) => tables.some((table) => name.startsWith(table) || name.startsWith(`sqlite_autoindex_${table}`))).reduce((sum, [, bytes]) => sum + bytes, 0);
    const sizes = {
      fileBytes: full.fileBytes,
      perCameraDay: perCameraDay(full.fileBytes),
      baselinePerCameraDay: baseline.fileBytes,
      perCameraDayBy: {
        tracks: perCameraDay(group(full.objects, 'tracks')),
        recordingSegments: perCameraDay(group(full.objects, 'recording_segments', 'recording_usage')),
        incidents: perCameraDay(group(full.objects, 'incidents', 'incident_actions')),
      },
      objects: full.objects,
    };
    console.log('');
    console.log(`databases: baseline 1 camera-day (${baseline.tracks} tracks, ${baseline.segments} segments, ${baseline.incidents} incidents) in ${round(baseline.seconds, 1)} s;`);
    console.log(`           full ${CAMERAS} x ${DAYS} (${full.tracks} tracks, ${full.segments} segments, ${full.incidents} incidents) in ${round(full.seconds, 1)} s, ${round(full.fileBytes / 1024 ** 3, 2)} GiB`);
    console.log('');
    console.log('| view | query | baseline p50 / p95 ms | full p50 / p95 ms | full max ms | p95 ratio | response KiB |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const view of VIEWS) {
      const { baseline: b, full: f } = results[view.name]!;
      for (const part of [...PARTS, 'total'] as const) {
        const kb = part === 'total' ? '' : String(f.responseKb[part]);
        console.log(`| ${view.name} | ${part} | ${b[part].p50} / ${b[part].p95} | ${f[part].p50} / ${f[part].p95} | ${f[part].max} | ${round(f[part].p95 / Math.max(0.01, b[part].p95), 1)} | ${kb} |`);
      }
    }
    const dayTimeline = results.day!.full.timeline.p95;
    console.log('');
    console.log(`one-camera-day timeline p95 on ${CAMERAS} x ${DAYS}: ${dayTimeline} ms (target <= ${TARGET_MS} ms: ${dayTimeline <= TARGET_MS ? 'met' : 'NOT met'})`);
    console.log(`day coverage read as whole rows (SegmentsRepo.coverage): p50 ${coverageDay.whole.p50} / p95 ${coverageDay.whole.p95} ms`);
    console.log('');
    console.log('timeline parts on the full database, p50 / p95 ms (density: spans read + buckets):');
    console.log('| view | coverage | incidents | density | JSON | density with the proposed index |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const view of VIEWS) {
      const p = parts[view.name]!;
      const q = partsWithIndex[view.name]!;
      console.log(`| ${view.name} | ${p.coverage.p50} / ${p.coverage.p95} | ${p.incidents.p50} / ${p.incidents.p95} | ${p.density.p50} / ${p.density.p95} | ${p.json.p50} / ${p.json.p95} | ${q.density.p50} / ${q.density.p95} |`);
    }
    console.log(`proposed index (not a migration): ${PROPOSED_INDEX}: built in ${proposed.seconds} s, ${perCameraDay(proposed.bytes)} B per camera-day; plan: ${proposed.plan}`);
    console.log(`database per camera-day: ${sizes.perCameraDay} B (tracks ${sizes.perCameraDayBy.tracks}, segments ${sizes.perCameraDayBy.recordingSegments}, incidents ${sizes.perCameraDayBy.incidents}); baseline file ${sizes.baselinePerCameraDay} B`);

    const out = {
      // Other work on the machine inflates the tails: the 1-minute load average around the queries.
      machine: { cpus: cpus().length, node: process.version, loadBeforeQueries: round(loadBefore), loadAfterQueries: round(loadavg()[0]!) },
      config: { cameras: CAMERAS, days: DAYS, queries: QUERIES, bucketsPerTimeline: 200, limit: 1000 },
      data: { baseline: { tracks: baseline.tracks, segments: baseline.segments, incidents: baseline.incidents, buildSeconds: round(baseline.seconds, 1) }, full: { tracks: full.tracks, segments: full.segments, incidents: full.incidents, buildSeconds: round(full.seconds, 1) } },
      results,
      coverageDayWholeRows: coverageDay.whole,
      timelineParts: parts,
      proposedIndex: { sql: PROPOSED_INDEX, ...proposed, bytesPerCameraDay: perCameraDay(proposed.bytes), timelineParts: partsWithIndex },
      target: { dayTimelineP95Ms: TARGET_MS, measured: dayTimeline, met: dayTimeline <= TARGET_MS },
      sizes,
      totalSeconds: round((performance.now() - began) / 1000, 1),
    };
    const resultsDir = join(root, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'review.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`load average (1 min) before / after the queries: ${round(loadBefore)} / ${round(loadavg()[0]!)} on ${cpus().length} cores`);
    console.log(`saved bench/results/review.json (${out.totalSeconds} s in all)`);
  } finally {
    if (KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
