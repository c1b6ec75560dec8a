// Offline analysis jobs survive a restart: a job that was running when the engine stopped is
// queued again, since its upload is still on disk.
import type { AnalysisJob, AnalysisState } from '../../../shared/analysis';
import type { ReasonCode } from '../../../shared/reasons';
import type { Db } from './database';

interface JobRow {
  id: string;
  file_name: string;
  fps: number;
  state: AnalysisState;
  progress: number;
  frames: number;
  tracks: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
}

export class AnalysisRepo {
  constructor(private readonly db: Db) {}

  private toJob(row: JobRow): AnalysisJob & { fps: number } {
    return {
      id: row.id,
      fileName: row.file_name,
      fps: row.fps,
      state: row.state,
      progress: row.progress,
      createdAt: row.created_at,
      frames: row.frames,
      tracks: row.tracks,
      error: row.error_code ? { code: row.error_code as ReasonCode, message: row.error_message ?? '' } : null,
    };
  }

  insert(job: { id: string; fileName: string; fps: number; createdAt: number }): void {
    this.db.prepare(`INSERT INTO analysis_jobs (id, file_name, fps, state, progress, frames, tracks, created_at) VALUES (?, ?, ?, 'queued', 0, 0, 0, ?)`).run(job.id, job.fileName, job.fps, job.createdAt);
  }

  update(id: string, changes: Partial<Pick<AnalysisJob, 'state' | 'progress' | 'frames' | 'tracks' | 'error'>>): void {
    const current = this.get(id);
    if (!current) return;
    const next = { ...current, ...changes };
    this.db
      .prepare(`UPDATE analysis_jobs SET state = ?, progress = ?, frames = ?, tracks = ?, error_code = ?, error_message = ? WHERE id = ?`)
      .run(next.state, next.progress, next.frames, next.tracks, next.error?.code ?? null, next.error?.message ?? null, id);
  }

  get(id: string): (AnalysisJob & { fps: number }) | null {
    const row = this.db.prepare('SELECT * FROM analysis_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? this.toJob(row) : null;
  }

  list(limit = 100): (AnalysisJob & { fps: number })[] {
    return (this.db.prepare('SELECT * FROM analysis_jobs ORDER BY created_at DESC LIMIT ?').all(limit) as JobRow[]).map((row) => this.toJob(row));
  }

  /** After a restart: what was running starts again. */
  requeueInterrupted(): number {
    return this.db.prepare(`UPDATE analysis_jobs SET state = 'queued', progress = 0 WHERE state = 'running'`).run().changes;
  }

  nextQueued(): (AnalysisJob & { fps: number }) | null {
    const row = this.db.prepare(`SELECT * FROM analysis_jobs WHERE state = 'queued' ORDER BY created_at LIMIT 1`).get() as JobRow | undefined;
    return row ? this.toJob(row) : null;
  }
}
