// The review service on a real SQLite database filled through the real repositories: what
// the timeline, recordings and tracks routes return, which cameras answer, which files the
// media routes may serve, and that every query stays on its index.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineError } from '../../../src/main/engine/engine-error';
import { IncidentsRepo, type NewIncident } from '../../../src/main/engine/incidents/incidents-repo';
import { SegmentsRepo, type NewSegment } from '../../../src/main/engine/recording/segments-repo';
import { ReviewService } from '../../../src/main/engine/review/review-service';
import { INCIDENTS_SQL, SEGMENT_BEFORE_SQL, SEGMENT_STARTS_SQL, SEGMENTS_SQL, TRACK_SPANS_SQL } from '../../../src/main/engine/review/review-store';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { TracksRepo, TracksWriter } from '../../../src/main/engine/store/tracks-repo';
import { update, walkingTrack } from '../store/track-fixtures';

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);
const MIN = 60_000;
const CAM = 'cam-a';
const GONE = 'cam-gone';

let dir = '';
let root = '';
let db: Db;
let review: ReviewService;
let segments: SegmentsRepo;
let incidents: IncidentsRepo;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-review-'));
  root = join(dir, 'recordings');
  db = openDatabase(join(dir, 'vigil.db'));
  segments = new SegmentsRepo(db);
  incidents = new IncidentsRepo(db);
  review = new ReviewService({ db, cameraExists: (id) => id === CAM || id === 'cam-empty', recordingsRoot: root, frames: null });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function segment(cameraId: string, startMs: number, endMs: number, file = true): NewSegment {
  const name = `${new Date(startMs).toISOString().slice(0, 19).replace(/:/g, '-')}Z.mp4`;
  const path = `${cameraId}/${name.slice(0, 10)}/${name}`;
  if (file) {
    mkdirSync(join(root, cameraId, name.slice(0, 10)), { recursive: true });
    writeFileSync(join(root, ...path.split('/')), Buffer.alloc(1234, 7));
  }
  const row: NewSegment = { cameraId, startMs, endMs, path, bytes: 1234, recovered: false };
  segments.insert(row);
  return row;
}

function raise(cameraId: string, startedAt: number, endedAt: number | null, ruleName = 'Gate'): string {
  const input: NewIncident = { cameraId, cameraName: 'Gate', ruleId: 'r1', ruleName, type: 'presence', severity: 'high', trackId: 1, trackKey: 'run:1', label: 'person', startedAt, raisedAt: startedAt, details: {} };
  const { id } = incidents.raise(input);
  if (endedAt !== null) incidents.endCondition(id, endedAt, {}, 'cleared');
  return id;
}

function codeOf(work: () => unknown): { code: string; status: number } {
  try {
    work();
  } catch (error) {
    return { code: (error as EngineError).code, status: (error as EngineError).status };
  }
  throw new Error('expected an EngineError');
}

describe('the timeline', () => {
  it('merges touching segments into coverage, clipped to the range; a real gap splits it', () => {
    // Three back to back (reported a few ms apart), a 30 s gap, then two more; another camera's segment in between.
    segment(CAM, T0 - 5_000, T0 + 5_000);
    segment(CAM, T0 + 5_004, T0 + 15_000);
    segment(CAM, T0 + 15_900, T0 + 25_000);
    segment('cam-b', T0 + 30_000, T0 + 40_000);
    segment(CAM, T0 + 55_000, T0 + 65_000);
    segment(CAM, T0 + 65_010, T0 + 75_000);
    const timeline = review.timeline(CAM, { from: T0, to: T0 + 70_000, buckets: 7 });
    expect(timeline.coverage).toEqual([
      { from: T0, to: T0 + 25_000 },
      { from: T0 + 55_000, to: T0 + 70_000 },
    ]);
    expect(timeline.bucketMs).toBe(10_000);
    expect(timeline.density).toHaveLength(7);
  });

  it('gives the same spans as the recording index merge at every zoom, from the steps SQLite picks', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let t = T0 - 20 * MIN;
    while (t < T0 + 3 * 60 * MIN) {
      // Mostly back-to-back 10-12 s segments; now and then a crash (short segment) or an outage.
      const length = random() < 0.05 ? 1_000 + random() * 8_000 : 10_000 + random() * 2_000;
      segment(CAM, Math.round(t), Math.round(t + length), false);
      t += length + (random() < 0.04 ? random() * 15 * MIN : random() * 8);
    }
    const ranges: [number, number][] = [[T0, T0 + 60 * MIN], [T0 - 7 * MIN, T0 + 2 * 60 * MIN], [T0 + 95 * MIN, T0 + 96 * MIN]];
    for (let i = 0; i < 40; i++) {
      const from = T0 - 20 * MIN + Math.round(random() * 200 * MIN);
      ranges.push([from, from + 1 + Math.round(random() * 90 * MIN)]);
    }
    for (const [from, to] of ranges) {
      for (const tolerance of [1_000, 4_500, 30_000, 108_000, 756_000]) {
        expect(review.store.coverage(CAM, from, to, tolerance)).toEqual(segments.coverage(CAM, from, to, tolerance));
      }
    }
  });

  it('marks the incidents that overlap the range: started before and still open, inside, ending inside', () => {
    const before = raise(CAM, T0 - 30 * MIN, T0 - MIN);
    const endsInside = raise(CAM, T0 - 5 * MIN, T0 + 2 * MIN);
    const open = raise(CAM, T0 - 3 * 24 * 60 * MIN, null, 'Camera down');
    const inside = raise(CAM, T0 + 10 * MIN, T0 + 11 * MIN);
    const after = raise(CAM, T0 + 60 * MIN, null);
    raise('cam-b', T0 + 10 * MIN, null);
    const timeline = review.timeline(CAM, { from: T0, to: T0 + 60 * MIN, buckets: 60 });
    expect(timeline.incidents.map((i) => i.id)).toEqual([open, endsInside, inside]);
    expect(timeline.incidents.map((i) => i.id)).not.toContain(before);
    expect(timeline.incidents.map((i) => i.id)).not.toContain(after);
    expect(timeline.incidents[0]).toEqual({ id: open, ruleName: 'Camera down', type: 'presence', severity: 'high', state: 'new', startedAt: T0 - 3 * 24 * 60 * MIN, endedAt: null, label: 'person' });
  });

  it('counts stored tracks per bucket and label, a parked car that arrived an hour earlier included', () => {
    const writer = new TracksWriter(new TracksRepo(db));
    writer.write(update(CAM, walkingTrack(1, T0 + 1 * MIN, 30_000), true));
    writer.write(update(CAM, walkingTrack(2, T0 + 1 * MIN + 10_000, 3 * MIN), true));
    writer.write(update(CAM, walkingTrack(3, T0 - 60 * MIN, 120 * MIN, { label: 'car', stepMs: 60_000 }), true));
    writer.write(update(CAM, walkingTrack(4, T0 - 20 * MIN, 5 * MIN), true));
    writer.write(update('cam-b', walkingTrack(5, T0 + MIN, MIN), true));
    writer.close();
    const timeline = review.timeline(CAM, { from: T0, to: T0 + 10 * MIN, buckets: 10 });
    expect(timeline.density.map((b) => b.byLabel.person ?? 0)).toEqual([0, 2, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(timeline.density.map((b) => b.byLabel.car ?? 0)).toEqual(Array(10).fill(1));
    expect(timeline.density[1]).toEqual({ at: T0 + MIN, count: 3, byLabel: { car: 1, person: 2 } });
  });
});

describe('recordings and tracks', () => {
  it('lists the segments overlapping the range, oldest first, up to the limit', () => {
    segment(CAM, T0 - 10_000, T0 + 1);
    segment(CAM, T0 + 1, T0 + 10_000);
    segment(CAM, T0 + 10_000, T0 + 20_000);
    segment(CAM, T0 + 20_000, T0 + 30_000);
    segment(CAM, T0 - 20_000, T0 - 10_000);
    const list = review.recordings(CAM, { from: T0, to: T0 + 20_000, limit: 1000 });
    expect(list.map((s) => [s.startMs, s.endMs])).toEqual([
      [T0 - 10_000, T0 + 1],
      [T0 + 1, T0 + 10_000],
      [T0 + 10_000, T0 + 20_000],
    ]);
    expect(list[0]).toMatchObject({ cameraId: CAM, bytes: 1234 });
    expect(typeof list[0]!.id).toBe('number');
    expect(review.recordings(CAM, { from: T0, to: T0 + 20_000, limit: 2 })).toHaveLength(2);
  });

  it('returns tracks with their paths decoded, in frame pixels', () => {
    const walk = walkingTrack(7, T0 + 5_000, 10_000);
    const writer = new TracksWriter(new TracksRepo(db));
    writer.write(update(CAM, walk, true, 'run9'));
    writer.close();
    const [track, ...rest] = review.tracks(CAM, { from: T0, to: T0 + MIN, limit: 10 });
    expect(rest).toHaveLength(0);
    expect(track).toMatchObject({ key: 'run9:7', label: 'person', firstSeen: T0 + 5_000, lastSeen: T0 + 15_000, frameWidth: 1920, frameHeight: 1080 });
    expect(track!.samples).toHaveLength(walk.samples.length);
    expect(track!.samples[3]!.t).toBe(walk.samples[3]!.t);
    expect(track!.samples[3]!.box).toEqual(walk.samples[3]!.box.map(Math.round));
    expect(review.tracks(CAM, { from: T0 + 16_000, to: T0 + MIN, limit: 10 })).toEqual([]);
  });
});

describe('which cameras answer', () => {
  it('a configured camera with nothing stored answers with an empty timeline', () => {
    const timeline = review.timeline('cam-empty', { from: T0, to: T0 + MIN, buckets: 2 });
    expect(timeline).toMatchObject({ coverage: [], incidents: [] });
    expect(timeline.density.every((b) => b.count === 0)).toBe(true);
  });

  it('a deleted camera still answers while it has incidents, footage or tracks; an unknown one is RESOURCE_NOT_FOUND', () => {
    expect(codeOf(() => review.timeline(GONE, { from: T0, to: T0 + MIN, buckets: 2 }))).toEqual({ code: 'RESOURCE_NOT_FOUND', status: 404 });
    expect(codeOf(() => review.recordings(GONE, { from: T0, to: T0 + MIN, limit: 5 }))).toEqual({ code: 'RESOURCE_NOT_FOUND', status: 404 });
    expect(codeOf(() => review.tracks(GONE, { from: T0, to: T0 + MIN, limit: 5 }))).toEqual({ code: 'RESOURCE_NOT_FOUND', status: 404 });
    const id = raise(GONE, T0 + 1000, T0 + 2000);
    expect(review.timeline(GONE, { from: T0, to: T0 + MIN, buckets: 2 }).incidents.map((i) => i.id)).toEqual([id]);
    expect(review.recordings(GONE, { from: T0, to: T0 + MIN, limit: 5 })).toEqual([]);
  });
});

describe('media files', () => {
  it('serves a segment from its index row only, inside the recordings folder', () => {
    segment(CAM, T0, T0 + 10_000);
    const [listed] = review.recordings(CAM, { from: T0, to: T0 + 10_000, limit: 1 });
    expect(review.segmentFile(listed!.id)).toBe(join(root, CAM, '2026-03-14', '2026-03-14T09-00-00Z.mp4'));
    expect(codeOf(() => review.segmentFile(listed!.id + 1000))).toEqual({ code: 'RECORDING_NOT_FOUND', status: 404 });
    // A path that would leave the folder (never written by Vigil) is refused all the same.
    segments.insert({ cameraId: CAM, startMs: T0 + 10_000, endMs: T0 + 20_000, path: '../../etc/passwd', bytes: 1, recovered: false });
    const [, escaping] = review.recordings(CAM, { from: T0, to: T0 + 20_000, limit: 5 });
    expect(codeOf(() => review.segmentFile(escaping!.id))).toEqual({ code: 'RECORDING_NOT_FOUND', status: 404 });
  });

  it('recording off: no segment file is served', () => {
    segment(CAM, T0, T0 + 10_000);
    const off = new ReviewService({ db, cameraExists: () => true, recordingsRoot: null, frames: null });
    const [listed] = off.recordings(CAM, { from: T0, to: T0 + 10_000, limit: 1 });
    expect(codeOf(() => off.segmentFile(listed!.id))).toEqual({ code: 'RECORDING_NOT_FOUND', status: 404 });
  });

  it('an incident snapshot: RESOURCE_NOT_FOUND without the incident, SNAPSHOT_NOT_FOUND without the picture', async () => {
    await expect(review.snapshotFile('no-such-incident')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', status: 404 });
    const id = raise(CAM, T0, null);
    await expect(review.snapshotFile(id)).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', status: 404 });
  });
});

describe('query plans', () => {
  it('every review query searches an index on (camera, time); none scans a table', () => {
    const plan = (sql: string, params: object) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const range = { camera: 'c', from: 0, to: 1 };
    const spans = plan(TRACK_SPANS_SQL, range);
    expect(spans).toMatch(/SEARCH tracks USING INDEX tracks_camera_time \(camera_id=\? AND first_seen>\? AND first_seen<\?\)/);
    expect(spans).toMatch(/SEARCH tracks USING INDEX tracks_camera_long \(camera_id=\? AND last_seen>\?\)/);
    expect(plan(INCIDENTS_SQL, range)).toMatch(/SEARCH incidents USING INDEX incidents_camera_time \(camera_id=\? AND started_at<\?\)/);
    // Coverage reads the index alone (the table only for the few end times it asks for).
    const steps = plan(SEGMENT_STARTS_SQL, range);
    expect(steps).toMatch(/SEARCH recording_segments USING COVERING INDEX recording_segments_camera_time \(camera_id=\? AND start_ms>\? AND start_ms<\?\)/);
    expect(steps).not.toMatch(/TEMP B-TREE/);
    expect(plan(SEGMENTS_SQL, { ...range, limit: 10 })).toMatch(/SEARCH recording_segments USING INDEX recording_segments_camera_time \(camera_id=\? AND start_ms>\? AND start_ms<\?\)/);
    expect(plan(SEGMENTS_SQL, { ...range, limit: 10 })).not.toMatch(/TEMP B-TREE/);
    expect(plan(SEGMENT_BEFORE_SQL, range)).toMatch(/SEARCH recording_segments USING INDEX recording_segments_camera_time \(camera_id=\? AND start_ms>\? AND start_ms<\?\)/);
    expect(plan(SEGMENT_BEFORE_SQL, range)).not.toMatch(/TEMP B-TREE/);
    for (const sql of [TRACK_SPANS_SQL, INCIDENTS_SQL, SEGMENT_STARTS_SQL, SEGMENT_BEFORE_SQL, SEGMENTS_SQL]) expect(plan(sql, { ...range, limit: 10 })).not.toMatch(/\bSCAN (tracks|incidents|recording_segments)\b/);
  });
});
