// The recording index in SQLite: one row per segment file (recording-schema.ts).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';

export interface Segment {
  id: number;
  cameraId: string;
  startMs: number;
  endMs: number;
  /** Relative to the recordings folder, '/'-separated. */
  path: string;
  bytes: number;
  /** Found on disk after a crash: ends at its last complete fragment, end time from the file. */
  recovered: boolean;
}

export type NewSegment = Omit<Segment, 'id'>;

export interface Interval {
  startMs: number;
  endMs: number;
}

/**
 * Segments are about 10 s; one that started this long before a range cannot reach into it.
 * It bounds the index scan of a range query (a camera with a minute-long GOP still fits).
 */
export const MAX_SEGMENT_MS = 10 * 60_000;

interface Row {
  id: number;
  camera_id: string;
  start_ms: number;
  end_ms: number;
  path: string;
  bytes: number;
  recovered: number;
}

function toSegment(row: Row): Segment {
  return { id: row.id, cameraId: row.camera_id, startMs: row.start_ms, endMs: row.end_ms, path: row.path, bytes: row.bytes, recovered: row.recovered === 1 };
}

export class SegmentsRepo {
  private readonly insertOne: Statement;
  private readonly inRange: Statement;
  private readonly oldest: Statement;
  private readonly deleteOne: Statement;

  constructor(private readonly db: Db) {
    // A path already indexed is left alone: recovery may meet a file the list reported too.
    this.insertOne = db.prepare(
      `INSERT INTO recording_segments (camera_id, start_ms, end_ms, path, bytes, recovered)
       VALUES (@cameraId, @startMs, @endMs, @path, @bytes, @recovered) ON CONFLICT (path) DO NOTHING`,
    );
    this.inRange = db.prepare(
      `SELECT * FROM recording_segments
        WHERE camera_id = @camera AND start_ms >= @from - ${MAX_SEGMENT_MS} AND start_ms <= @to AND end_ms >= @from
        ORDER BY start_ms, id`,
    );
    this.oldest = db.prepare(`SELECT * FROM recording_segments WHERE (start_ms, id) > (@startMs, @id) ORDER BY start_ms, id LIMIT @limit`);
    this.deleteOne = db.prepare('DELETE FROM recording_segments WHERE id = ?');
  }

  /** True when the row was added, false when the path was indexed already. */
  insert(segment: NewSegment): boolean {
    return this.insertOne.run({ ...segment, recovered: segment.recovered ? 1 : 0 }).changes === 1;
  }

  /** Segments of one camera that overlap [fromMs, toMs], earliest first. */
  segmentsInRange(cameraId: string, fromMs: number, toMs: number): Segment[] {
    return (this.inRange.all({ camera: cameraId, from: fromMs, to: toMs }) as Row[]).map(toSegment);
  }

  /**
   * The recorded parts of [fromMs, toMs] for one camera: overlapping segments merged, clipped
   * to the range. Segments get their times when FFmpeg reports them, so neighbours meet within
   * a few ms rather than exactly; gaps up to `toleranceMs` count as continuous.
   */
  coverage(cameraId: string, fromMs: number, toMs: number, toleranceMs = 1000): Interval[] {
    const merged: Interval[] = [];
    for (const segment of this.segmentsInRange(cameraId, fromMs, toMs)) {
      const startMs = Math.max(segment.startMs, fromMs);
      const endMs = Math.min(segment.endMs, toMs);
      if (endMs <= startMs) continue;
      const last = merged.at(-1);
      if (last && startMs <= last.endMs + toleranceMs) last.endMs = Math.max(last.endMs, endMs);
      else merged.push({ startMs, endMs });
    }
    return merged;
  }

  /** Up to `limit` segments after (startMs, id) in start order, across all cameras. */
  oldestAfter(cursor: { startMs: number; id: number }, limit: number): Segment[] {
    return (this.oldest.all({ ...cursor, limit }) as Row[]).map(toSegment);
  }

  deleteMany(ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.deleteOne.run(id);
    })();
  }

  /** Indexed paths of one camera that start at or after `fromMs`. */
  pathsSince(cameraId: string, fromMs: number): Set<string> {
    const rows = this.db.prepare('SELECT path FROM recording_segments WHERE camera_id = ? AND start_ms >= ?').all(cameraId, fromMs) as { path: string }[];
    return new Set(rows.map((row) => row.path));
  }

  /** Total size and count of indexed segments, kept by triggers (no table scan). */
  usage(): { bytes: number; segments: number } {
    return this.db.prepare('SELECT bytes, segments FROM recording_usage WHERE id = 1').get() as { bytes: number; segments: number };
  }
}
