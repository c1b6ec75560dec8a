import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type Db } from '../../../src/main/engine/store/database';
import { MIGRATIONS } from '../../../src/main/engine/store/migrations';

let dir = '';
const open: Db[] = [];

function track(db: Db): Db {
  open.push(db);
  return db;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-db-'));
});

afterEach(async () => {
  for (const db of open.splice(0)) if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
}

describe('openDatabase', () => {
  it('creates the file (and missing parent folders) and applies every migration', () => {
    const file = join(dir, 'nested', 'deeper', 'vigil.db');
    const db = track(openDatabase(file));
    expect(existsSync(file)).toBe(true);
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual(expect.arrayContaining(['cameras', 'settings']));
  });

  it('turns on WAL, foreign keys and a busy timeout', () => {
    const db = track(openDatabase(join(dir, 'vigil.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // NORMAL = 1: safe with WAL, far fewer fsyncs than FULL.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('reopening is idempotent and keeps the data', () => {
    const file = join(dir, 'vigil.db');
    const first = track(openDatabase(file));
    first.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?)').run('grid', '"3x3"');
    const before = tables(first);
    first.close();
    const second = track(openDatabase(file));
    expect(second.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(second.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get('grid')).toBe('"3x3"');
    second.close();
    // And a third time, still no error (CREATE TABLE is not re-run), same schema.
    const third = track(openDatabase(file));
    expect(tables(third)).toEqual(before);
    expect(third.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('WAL persists in the file: a plain connection sees it too', () => {
    const file = join(dir, 'vigil.db');
    track(openDatabase(file)).close();
    const raw = track(new Database(file));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses a data directory written by a newer Vigil, with a clear message', () => {
    const file = join(dir, 'vigil.db');
    const raw = track(new Database(file));
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => track(openDatabase(file))).toThrow(/newer Vigil/);
    expect(() => track(openDatabase(file))).toThrow(new RegExp(`schema ${MIGRATIONS.length + 5}, this build knows ${MIGRATIONS.length}`));
  });

  it('works in memory', () => {
    const db = track(openDatabase(':memory:'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});

describe('migrate', () => {
  it('applies only the migrations not yet recorded', () => {
    const db = track(new Database(':memory:'));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Running again would fail on CREATE TABLE if it re-applied anything.
    expect(() => migrate(db)).not.toThrow();
  });

  it('a failed migration leaves neither its tables nor its version bump', () => {
    const db = track(new Database(':memory:'));
    db.exec('CREATE TABLE settings (key TEXT)'); // collides with migration 1's CREATE TABLE settings
    expect(() => migrate(db)).toThrow(/settings already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual(['settings']);
  });
});
