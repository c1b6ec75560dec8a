// Retention: old tracks leave the database in small batches, oldest first. better-sqlite3 is
// synchronous and shares the engine's thread with the TracksWriter, so one DELETE of a
// month's rows would stall every camera's writes (and the API) for seconds; a bounded batch
// per transaction, with the event loop free between batches, keeps each pause to a few ms.
import type { Db } from './database';

export interface RetentionOptions {
  /** Rows deleted per transaction (default 5000: a few ms of work, a few MB of WAL). */
  batchSize?: number;
  /**
   * Told the snapshot keys of the rows a batch removed, after it committed, so the snapshot
   * store can delete the pictures too.
   */
  onSnapshotsRemoved?: (refs: string[]) => void;
}

export class TracksRetention {
  private readonly batchSize: number;
  private readonly onSnapshotsRemoved: (refs: string[]) => void;

  constructor(
    private readonly db: Db,
    options: RetentionOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000));
    this.onSnapshotsRemoved = options.onSnapshotsRemoved ?? (() => {});
  }

  /**
   * One transaction: deletes at most batchSize tracks last seen before cutoffMs, the oldest
   * first (the tracks_last_seen index hands them over in order, so no batch scans the table).
   * Returns how many it deleted.
   */
  purgeBatch(cutoffMs: number): number {
    const removed = this.db
      .prepare(
        `DELETE FROM tracks WHERE id IN (SELECT id FROM tracks WHERE last_seen < ? ORDER BY last_seen LIMIT ?)
         RETURNING snapshot_ref`,
      )
      .all(cutoffMs, this.batchSize) as { snapshot_ref: string | null }[];
    const refs = removed.flatMap((row) => (row.snapshot_ref === null ? [] : [row.snapshot_ref]));
    if (refs.length > 0) this.onSnapshotsRemoved(refs);
    return removed.length;
  }

  /**
   * Deletes every track last seen before cutoffMs, batch after batch, yielding to the event
   * loop between batches. Resolves with the number of rows removed.
   */
  async purgeOlderThan(cutoffMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = this.purgeBatch(cutoffMs);
      total += removed;
      if (removed < this.batchSize) return total;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
