// Prepared statements, prepared once: better-sqlite3 compiles SQL on every prepare(), which
// costs more than running a small indexed query, and the outbox runs a few per alert.
import type Database from 'better-sqlite3';
import type { Db } from '../store/database';

type Statement = Database.Statement<unknown[]>;

export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** The statement for this SQL text (every text the callers build comes from a small, fixed set). */
  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
