// Synthetic history for bench:review: busy cameras' tracks, incidents and recording segments,
// written through the real migrations and repositories in big transactions, one simulated
// hour at a time with every camera's rows interleaved in time order, as 36 live cameras
// leave them in the file (a camera's rows are spread over pages, not clustered).
//
// Assumptions (docs/storage.md's busy camera, and the recorder's 10 s segments):
// - tracks starting per camera and hour: 07-19 h 120, 19-23 h 40, 23-07 h 8 (1,664 a day);
//   90 % pass through (log-normal, median 12 s), 8 % linger 1-5 min, 2 % stay 10-60 min;
//   labels person 70 %, car 20 %, bicycle 5 %, truck 3 %, dog 2 %; 1920x1080 frames; the
//   path at 2 samples a second, thinned past 1200 samples as TracksWriter does; a snapshot
//   reference on every track;
// - one 10 s segment per camera every 10 s (8,640 a day, ~2.5 MB each), reported a few ms
//   apart, with one outage of 5-30 min per camera-day;
// - 30 incidents per camera-day, most acknowledged and closed (four audit rows each), a few
//   still open, some lasting hours (a camera offline).
import { randomUUID } from 'node:crypto';
import type { Box } from '../src/shared/detection';
import type { Severity } from '../src/shared/rules';
import { IncidentsRepo } from '../src/main/engine/incidents/incidents-repo';
import { segmentPath } from '../src/main/engine/recording/segment-layout';
import { SegmentsRepo } from '../src/main/engine/recording/segments-repo';
import type { Db } from '../src/main/engine/store/database';
import { Random, TRACK_LABELS, tracksPerHour } from '../test/support/synthetic-site';
export { Random };
import { encodeSamples, TracksRepo, type TrackRow, type TrackSample } from '../src/main/engine/store/tracks-repo';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const SAMPLE_MS = 500;
const MAX_SAMPLES = 1200;
const SEGMENT_MS = 10_000;
export const INCIDENTS_PER_DAY = 30;
const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];


/**
 * Packed paths, made once per (samples, spacing) and reused: encoding 260 million samples
 * would take longer than the benchmark. A path is a box walking with jitter, as a tracker
 * reports it; its bytes do not depend on when the track began.
 */
class PathPool {
  private readonly paths = new Map<string, Buffer[]>();
  constructor(private readonly random: Random) {}

  /** The packed path of a track lasting `durationMs`, and its true sample count. */
  get(durationMs: number): Buffer {
    // TracksWriter thins a track past MAX_SAMPLES to an even, wider spacing.
    const gap = durationMs / SAMPLE_MS + 1 > MAX_SAMPLES ? Math.ceil(durationMs / (MAX_SAMPLES - 1) / SAMPLE_MS) * SAMPLE_MS : SAMPLE_MS;
    const count = Math.floor(durationMs / gap) + 1;
    const key = `${count}:${gap}`;
    let variants = this.paths.get(key);
    if (!variants) this.paths.set(key, (variants = []));
    if (variants.length < 3) variants.push(this.make(count, gap));
    return variants[this.random.int(0, variants.length)]!;
  }

  private make(count: number, gap: number): Buffer {
    const r = this.random;
    const moving = count < 120;
    const [w, h] = [r.between(60, 320), r.between(70, 220)];
    let x = r.between(0, 1920 - w);
    let y = r.between(300, 1080 - h);
    const vx = moving ? r.between(-60, 60) : r.between(-1.5, 1.5);
    const vy = moving ? r.between(-10, 10) : r.between(-0.5, 0.5);
    const score = r.between(0.4, 0.95);
    const samples: TrackSample[] = [];
    for (let i = 0; i < count; i++) {
      x = Math.min(1920 - w, Math.max(0, x + vx + r.normal()));
      y = Math.min(1080 - h, Math.max(0, y + vy + r.normal()));
      samples.push({ t: i * gap, box: [x, y, x + w, y + h], score });
    }
    return encodeSamples(samples, 0);
  }
}

function boxBlob(box: Box): Buffer {
  const out = Buffer.alloc(8);
  box.forEach((v, i) => out.writeInt16LE(Math.round(v), i * 2));
  return out;
}

export interface GenerateOptions {
  cameras: string[];
  days: number;
  start: number;
  seed: number;
  /** Called after each simulated hour. */
  progress?: (hoursDone: number, hoursTotal: number) => void;
}

export interface Generated {
  tracks: number;
  segments: number;
  incidents: number;
}

export function generateHistory(db: Db, options: GenerateOptions): Generated {
  const random = new Random(options.seed);
  const paths = new PathPool(random);
  const tracksRepo = new TracksRepo(db);
  const incidentsRepo = new IncidentsRepo(db);
  const snapshotRefs = db.prepare(
    `UPDATE tracks SET snapshot_ref = camera_id || '/' || strftime('%Y-%m-%d', best_at / 1000, 'unixepoch') || '/' || replace(track_key, ':', '_') || '.jpg' WHERE id > ?`,
  );
  // The rows SegmentsRepo.insert writes, made by SQLite itself: 9 million inserts one by one
  // from JavaScript would take most of the benchmark's time. The benchmark checks the rows
  // against SegmentsRepo and segmentPath() (checkSegmentRows), so the two cannot drift apart.
  const insertSegments = db.prepare(`
    INSERT INTO recording_segments (camera_id, start_ms, end_ms, path, bytes, recovered)
    WITH RECURSIVE slot(t) AS (SELECT @from UNION ALL SELECT t + ${SEGMENT_MS} FROM slot WHERE t + ${SEGMENT_MS} < @to)
    SELECT c.value, t + abs(random() % 8), t + ${SEGMENT_MS} + abs(random() % 8),
           c.value || '/' || strftime('%Y-%m-%d', t / 1000, 'unixepoch') || '/' || strftime('%Y-%m-%dT%H-%M-%SZ', t / 1000, 'unixepoch') || '.mp4',
           2200000 + abs(random() % 600000), 0
      FROM slot, json_each(@cameras) c
     WHERE NOT EXISTS (SELECT 1 FROM json_each(@outages) o WHERE o.value ->> 'c' = c.value AND t + ${SEGMENT_MS} > o.value ->> 'f' AND t < o.value ->> 't')
     ORDER BY t, c.key`);
  const counts: Generated = { tracks: 0, segments: 0, incidents: 0 };
  const runs = new Map(options.cameras.map((id) => [id, { run: randomUUID().slice(0, 8), next: 1 }]));
  // One outage per camera-day, by day: [start, end) with no segments.
  const outages = new Map(
    options.cameras.map((id) => [
      id,
      Array.from({ length: options.days }, (_, d) => {
        const from = options.start + d * DAY + random.between(0, DAY - HOUR);
        return [from, from + random.between(5, 30) * 60_000] as const;
      }),
    ]),
  );
  const hours = options.days * 24;
  for (let h = 0; h < hours; h++) {
    const hourStart = options.start + h * HOUR;
    db.transaction(() => {
      // Tracks: every camera's tracks of the hour, in order of their start.
      const rows: TrackRow[] = [];
      for (const cameraId of options.cameras) {
        const state = runs.get(cameraId)!;
        for (let i = 0; i < tracksPerHour(h % 24); i++) {
          const kind = random.next();
          const duration = Math.round(kind < 0.9 ? Math.min(600_000, Math.max(1000, 12_000 * Math.exp(0.8 * random.normal()))) : kind < 0.98 ? random.between(60_000, 300_000) : random.between(600_000, 3_600_000));
          const firstSeen = Math.round(hourStart + random.next() * HOUR);
          const samples = paths.get(duration);
          rows.push({
            cameraId,
            trackKey: `${state.run}:${state.next++}`,
            label: random.pick(TRACK_LABELS),
            firstSeen,
            lastSeen: firstSeen + duration,
            bestScore: random.between(0.4, 0.95),
            bestBox: boxBlob([100, 400, 180, 600]),
            bestAt: firstSeen + Math.round(duration / 2),
            frameWidth: 1920,
            frameHeight: 1080,
            ended: true,
            samples,
          });
        }
      }
      rows.sort((a, b) => a.firstSeen - b.firstSeen);
      const lastId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM tracks').get() as { id: number }).id;
      tracksRepo.upsertMany(rows);
      snapshotRefs.run(lastId);
      counts.tracks += rows.length;

      // Segments: every camera every 10 s, interleaved as they are reported.
      const day = Math.floor(h / 24);
      const down = options.cameras.map((c) => ({ c, f: outages.get(c)![day]![0], t: outages.get(c)![day]![1] })).filter((o) => o.t > hourStart && o.f < hourStart + HOUR);
      counts.segments += insertSegments.run({ from: hourStart, to: hourStart + HOUR, cameras: JSON.stringify(options.cameras), outages: JSON.stringify(down) }).changes;

      // Incidents: INCIDENTS_PER_DAY a camera-day, spread over the hours.
      for (const cameraId of options.cameras) {
        const n = Math.floor((INCIDENTS_PER_DAY * (h + 1)) / 24) - Math.floor((INCIDENTS_PER_DAY * h) / 24);
        for (let i = 0; i < n; i++) {
          const startedAt = Math.round(hourStart + random.next() * HOUR);
          const long = random.next() < 0.03;
          const endedAt = startedAt + Math.round(long ? random.between(HOUR, 8 * HOUR) : random.between(5_000, 300_000));
          const label = random.pick(TRACK_LABELS);
          const severity = SEVERITIES[random.int(0, 4)]!;
          const details = { type: 'presence', since: startedAt, durationMs: endedAt - startedAt, zoneId: 'entrance', label, score: 0.81, box: [120, 200, 160, 310], frameWidth: 1920, frameHeight: 1080 };
          const incident = incidentsRepo.raise({ cameraId, cameraName: `Camera ${cameraId.slice(0, 4)}`, ruleId: 'entrance', ruleName: 'Person at the entrance', type: long ? 'camera-offline' : 'presence', severity, trackId: 7, trackKey: `${runs.get(cameraId)!.run}:7`, label, startedAt, raisedAt: startedAt, details });
          counts.incidents++;
          // A few conditions still hold at the end of the month.
          if (h >= hours - 2 && random.next() < 0.2) continue;
          incidentsRepo.endCondition(incident.id, endedAt, details, 'cleared');
          if (random.next() < 0.9) {
            incidentsRepo.act(incident.id, { action: 'acknowledge', who: 'ana' }, endedAt + 30_000);
            incidentsRepo.act(incident.id, { action: 'close', who: 'ana', note: 'checked on camera' }, endedAt + 90_000);
          }
        }
      }
    })();
    options.progress?.(h + 1, hours);
  }
  return counts;
}

/** Throws unless the generated segments are what SegmentsRepo and segmentPath would write. */
export function checkSegmentRows(db: Db, cameraId: string): void {
  const rows = new SegmentsRepo(db).segmentsInRange(cameraId, 0, Number.MAX_SAFE_INTEGER).slice(0, 50);
  if (rows.length === 0) throw new Error('no segments generated');
  for (const row of rows) {
    const file = `${new Date(Math.floor(row.startMs / SEGMENT_MS) * SEGMENT_MS).toISOString().slice(0, 19).replace(/:/g, '-')}Z.mp4`;
    const expected = segmentPath(cameraId, file);
    if (row.path !== expected || row.endMs - row.startMs < SEGMENT_MS - 8 || row.recovered) throw new Error(`generated segment ${JSON.stringify(row)} is not what the recorder writes (${expected})`);
  }
}
