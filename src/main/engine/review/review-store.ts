// The reads review makes, in one place so they can be measured and tuned together
// (bench/review.ts). Every query is bounded by an index range on (camera, time); none reads a
// column it does not need: the density chart never touches the tracks' sample BLOBs, and the
// coverage bar never reads segment paths. The SQL is exported for the query-plan tests.
import type { Statement } from 'better-sqlite3';
import type { Severity } from '../../../shared/rules';
import type { RecordingSegmentView, TimelineIncident } from '../../../shared/review';
import { MAX_SEGMENT_MS } from '../recording/segments-repo';
import type { Db } from '../store/database';
import { mergeCoverage, MIN_COVERAGE_TOLERANCE_MS, type CoverageSpan } from './coverage';
import type { TrackSpan } from './timeline';

/** Most incident markers one timeline returns: a flapping camera must not flood the chart. */
export const MAX_TIMELINE_INCIDENTS = 2000;

// Same two-part shape as tracks-repo.ts: tracks that began in the range or up to ten minutes
// before it through (camera_id, first_seen), plus the few longer ones through the partial
// index. The 600000 must stay literally the partial index's own (migration 2), or SQLite
// will not use it.
export const TRACK_SPANS_SQL = `
  SELECT label, first_seen, last_seen FROM tracks INDEXED BY tracks_camera_time
   WHERE camera_id = @camera AND first_seen >= @from - 600000 AND first_seen < @to AND last_seen >= @from
  UNION ALL
  SELECT label, first_seen, last_seen FROM tracks INDEXED BY tracks_camera_long
   WHERE camera_id = @camera AND last_seen - first_seen > 600000 AND first_seen < @from - 600000 AND last_seen >= @from`;

// An incident may last days (a camera offline over a weekend), so there is no bound on how
// long before the range it started; a camera has a few dozen a day, so reading its
// (camera_id, started_at) entries up to `to` stays small.
export const INCIDENTS_SQL = `
  SELECT id, rule_name, type, severity, state, started_at, ended_at, label FROM incidents
   WHERE camera_id = @camera AND started_at < @to AND (ended_at IS NULL OR ended_at >= @from)
   ORDER BY started_at, id LIMIT ${MAX_TIMELINE_INCIDENTS}`;

const SEGMENT_RANGE = `camera_id = @camera AND start_ms >= @from - ${MAX_SEGMENT_MS} AND start_ms < @to AND end_ms > @from`;
// Start times of the camera's segments that begin in the range: only a column of the
// (camera_id, start_ms) index, in its order, so SQLite reads the index alone (coverage.ts).
export const SEGMENT_STARTS_SQL = `SELECT start_ms FROM recording_segments WHERE camera_id = @camera AND start_ms >= @from AND start_ms < @to ORDER BY start_ms`;
/** The segment that began last before the range: the only one that may reach into it. */
export const SEGMENT_BEFORE_SQL = `
  SELECT start_ms, end_ms FROM recording_segments
   WHERE camera_id = @camera AND start_ms >= @from - ${MAX_SEGMENT_MS} AND start_ms < @from
   ORDER BY start_ms DESC LIMIT 1`;
export const SEGMENTS_SQL = `SELECT id, camera_id, start_ms, end_ms, bytes FROM recording_segments WHERE ${SEGMENT_RANGE} ORDER BY start_ms, id LIMIT @limit`;

export class ReviewStore {
  private readonly trackSpans: Statement;
  private readonly incidents: Statement;
  private readonly segmentStarts: Statement;
  private readonly segmentBefore: Statement;
  private readonly segmentEnd: Statement;
  private readonly segments: Statement;
  private readonly segment: Statement;
  private readonly history: Statement[];
  private readonly incident: Statement;

  constructor(db: Db) {
    this.trackSpans = db.prepare(TRACK_SPANS_SQL).raw(true);
    this.incidents = db.prepare(INCIDENTS_SQL);
    this.segmentStarts = db.prepare(SEGMENT_STARTS_SQL).pluck(true);
    this.segmentBefore = db.prepare(SEGMENT_BEFORE_SQL).raw(true);
    // Two segments starting in the same ms (a recovered file and a reported one) both count.
    this.segmentEnd = db.prepare('SELECT MAX(end_ms) FROM recording_segments WHERE camera_id = ? AND start_ms = ?').pluck(true);
    this.segments = db.prepare(SEGMENTS_SQL);
    this.segment = db.prepare('SELECT camera_id, path, bytes FROM recording_segments WHERE id = ?');
    this.incident = db.prepare('SELECT 1 FROM incidents WHERE id = ?');
    // Each is one index probe: incidents_camera_time, recording_segments_camera_time, tracks_key.
    this.history = [
      db.prepare('SELECT 1 FROM incidents WHERE camera_id = ? LIMIT 1'),
      db.prepare('SELECT 1 FROM recording_segments WHERE camera_id = ? LIMIT 1'),
      db.prepare('SELECT 1 FROM tracks WHERE camera_id = ? LIMIT 1'),
    ];
  }

  /** Label and span of every track of the camera overlapping [from, to). */
  trackSpansIn(cameraId: string, from: number, to: number): TrackSpan[] {
    return this.trackSpans.all({ camera: cameraId, from, to }) as TrackSpan[];
  }

  incidentsIn(cameraId: string, from: number, to: number): TimelineIncident[] {
    const rows = this.incidents.all({ camera: cameraId, from, to }) as {
      id: string;
      rule_name: string;
      type: string;
      severity: Severity;
      state: string;
      started_at: number;
      ended_at: number | null;
      label: string | null;
    }[];
    return rows.map((row) => ({ id: row.id, ruleName: row.rule_name, type: row.type, severity: row.severity, state: row.state, startedAt: row.started_at, endedAt: row.ended_at, label: row.label }));
  }

  /**
   * Recorded parts of [from, to), clipped to it, with gaps up to `toleranceMs` merged: start
   * times from the segment index, plus the few end times mergeCoverage asks for.
   */
  coverage(cameraId: string, from: number, to: number, toleranceMs = MIN_COVERAGE_TOLERANCE_MS): CoverageSpan[] {
    const starts = this.segmentStarts.all({ camera: cameraId, from, to }) as number[];
    const endAt = (startMs: number) => this.segmentEnd.get(cameraId, startMs) as number;
    // A segment that began before the range and reaches into it opens the walk (segments that
    // ended before the range count for nothing, however close).
    const before = this.segmentBefore.get({ camera: cameraId, from }) as [number, number] | undefined;
    if (!before || before[1] <= from) return mergeCoverage(starts, endAt, from, to, toleranceMs);
    const [beforeStart, beforeEnd] = before;
    return mergeCoverage([beforeStart, ...starts], (startMs) => (startMs === beforeStart ? beforeEnd : endAt(startMs)), from, to, toleranceMs);
  }

  /** Segments overlapping [from, to), oldest first. */
  segmentsIn(cameraId: string, from: number, to: number, limit: number): RecordingSegmentView[] {
    const rows = this.segments.all({ camera: cameraId, from, to, limit }) as { id: number; camera_id: string; start_ms: number; end_ms: number; bytes: number }[];
    return rows.map((row) => ({ id: row.id, cameraId: row.camera_id, startMs: row.start_ms, endMs: row.end_ms, bytes: row.bytes }));
  }

  /** The index row of one segment; its path is relative to the recordings folder. */
  segmentFile(id: number): { cameraId: string; path: string; bytes: number } | null {
    const row = this.segment.get(id) as { camera_id: string; path: string; bytes: number } | undefined;
    return row ? { cameraId: row.camera_id, path: row.path, bytes: row.bytes } : null;
  }

  incidentExists(id: string): boolean {
    return this.incident.get(id) !== undefined;
  }

  /** True when anything is stored for this camera id: a deleted camera's history stays reviewable. */
  hasHistory(cameraId: string): boolean {
    return this.history.some((statement) => statement.get(cameraId) !== undefined);
  }
}
