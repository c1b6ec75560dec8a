// Where a timeline's time goes (coverage, incident markers, density, JSON), and what one more
// index would buy: the benchmark builds it on the full database (a what-if, never a
// migration) and measures the density part again through it.
import { performance } from 'node:perf_hooks';
import { coverageTolerance } from '../src/main/engine/review/coverage';
import { ReviewStore, TRACK_SPANS_SQL } from '../src/main/engine/review/review-store';
import { assembleTimeline, bucketWidth, type TrackSpan } from '../src/main/engine/review/timeline';
import { SegmentsRepo } from '../src/main/engine/recording/segments-repo';
import { openDatabase } from '../src/main/engine/store/database';
import { percentile } from './proc-stats';
import { DAY, type Random } from './review-data';

export const PROPOSED_INDEX = 'CREATE INDEX tracks_camera_span ON tracks (camera_id, first_seen, last_seen, label)';
const PARTS = ['coverage', 'incidents', 'density', 'json'] as const;
export type TimelineParts = Record<(typeof PARTS)[number], { p50: number; p95: number }>;

const round = (value: number) => Math.round(value * 100) / 100;

export interface PartsQuery {
  file: string;
  cameras: string[];
  start: number;
  spanMs: number;
  viewMs: number;
  queries: number;
  /** Density through the proposed index instead of tracks_camera_time. */
  proposedIndex?: boolean;
}

export function timelineParts(query: PartsQuery, random: Random): TimelineParts {
  const db = openDatabase(query.file);
  const store = new ReviewStore(db);
  const spans = query.proposedIndex ? db.prepare(TRACK_SPANS_SQL.replace('INDEXED BY tracks_camera_time', 'INDEXED BY tracks_camera_span')).raw(true) : null;
  const times: Record<(typeof PARTS)[number], number[]> = { coverage: [], incidents: [], density: [], json: [] };
  for (let i = -5; i < query.queries; i++) {
    const camera = query.cameras[random.int(0, query.cameras.length)]!;
    const from = query.start + Math.round(random.next() * Math.max(0, query.spanMs - query.viewMs));
    const to = from + query.viewMs;
    const t0 = performance.now();
    const coverage = store.coverage(camera, from, to, coverageTolerance(bucketWidth(from, to, 200)));
    const t1 = performance.now();
    const incidents = store.incidentsIn(camera, from, to);
    const t2 = performance.now();
    const tracks = spans ? (spans.all({ camera, from, to }) as TrackSpan[]) : store.trackSpansIn(camera, from, to);
    const timeline = assembleTimeline({ cameraId: camera, from, to, buckets: 200, coverage, incidents, tracks });
    const t3 = performance.now();
    JSON.stringify(timeline);
    const t4 = performance.now();
    if (i < 0) continue;
    times.coverage.push(t1 - t0);
    times.incidents.push(t2 - t1);
    times.density.push(t3 - t2);
    times.json.push(t4 - t3);
  }
  db.close();
  return Object.fromEntries(PARTS.map((part) => [part, { p50: round(percentile(times[part], 50)), p95: round(percentile(times[part], 95)) }])) as TimelineParts;
}

/** Builds the proposed index on the full database: its build time, size, and the plan it gives. */
export function buildProposedIndex(file: string): { seconds: number; bytes: number; plan: string } {
  const db = openDatabase(file);
  const began = performance.now();
  db.exec(PROPOSED_INDEX);
  const seconds = (performance.now() - began) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = db.prepare("SELECT SUM(pgsize) FROM dbstat WHERE name = 'tracks_camera_span'").pluck().get() as number;
  const sql = TRACK_SPANS_SQL.replace('INDEXED BY tracks_camera_time', 'INDEXED BY tracks_camera_span');
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ camera: 'c', from: 0, to: 1 }) as { detail: string }[]).map((row) => row.detail).join('; ');
  db.close();
  return { seconds: Math.round(seconds * 10) / 10, bytes, plan };
}

/** Coverage of one day the way SegmentsRepo.coverage reads it (whole rows), for comparison. */
export function wholeRowCoverage(file: string, cameras: string[], start: number, spanMs: number, queries: number, random: Random): { p50: number; p95: number } {
  const db = openDatabase(file);
  const repo = new SegmentsRepo(db);
  const times: number[] = [];
  for (let i = -5; i < queries; i++) {
    const camera = cameras[random.int(0, cameras.length)]!;
    const from = start + Math.round(random.next() * Math.max(0, spanMs - DAY));
    const began = performance.now();
    repo.coverage(camera, from, from + DAY);
    if (i >= 0) times.push(performance.now() - began);
  }
  db.close();
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}
