// Camera configuration rows. Callers pass validated input (the API has run the schemas);
// this layer seals URLs and keeps every write in one transaction.
import { randomUUID } from 'node:crypto';
import type { CameraConfig, CameraOptions } from '../../../shared/cameras';
import { CameraOptionsSchema } from '../../../shared/cameras';
import type { SecretBox } from '../secrets/secret-box';
import type { Db } from './database';

interface CameraRow {
  id: string;
  name: string;
  main_url_sealed: string;
  sub_url_sealed: string | null;
  enabled: number;
  options_json: string;
  demo: number;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface NewCamera {
  name: string;
  mainUrl: string;
  subUrl: string | null;
  enabled: boolean;
  options: CameraOptions;
  demo?: boolean;
}

export type CameraChanges = Partial<Omit<NewCamera, 'demo' | 'options'>> & {
  options?: { [K in keyof CameraOptions]?: CameraOptions[K] | null };
};

export class CamerasRepo {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  private toConfig(row: CameraRow): CameraConfig {
    return {
      id: row.id,
      name: row.name,
      mainUrl: this.box.open(row.main_url_sealed),
      subUrl: row.sub_url_sealed ? this.box.open(row.sub_url_sealed) : null,
      enabled: row.enabled === 1,
      // Parse so that options added by later versions get their defaults.
      options: CameraOptionsSchema.parse(JSON.parse(row.options_json)),
      demo: row.demo === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  list(): CameraConfig[] {
    const rows = this.db.prepare('SELECT * FROM cameras ORDER BY position, created_at').all() as CameraRow[];
    return rows.map((row) => this.toConfig(row));
  }

  get(id: string): CameraConfig | null {
    const row = this.db.prepare('SELECT * FROM cameras WHERE id = ?').get(id) as CameraRow | undefined;
    return row ? this.toConfig(row) : null;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM cameras').get() as { n: number }).n;
  }

  insertMany(cameras: NewCamera[]): CameraConfig[] {
    const insert = this.db.prepare(
      `INSERT INTO cameras (id, name, main_url_sealed, sub_url_sealed, enabled, options_json, demo, position, created_at, updated_at)
       VALUES (@id, @name, @main, @sub, @enabled, @options, @demo, @position, @now, @now)`,
    );
    const ids = this.db.transaction(() => {
      let position = (this.db.prepare('SELECT COALESCE(MAX(position), -1) AS p FROM cameras').get() as { p: number }).p;
      return cameras.map((camera) => {
        const id = randomUUID();
        insert.run({
          id,
          name: camera.name,
          main: this.box.seal(camera.mainUrl),
          sub: camera.subUrl ? this.box.seal(camera.subUrl) : null,
          enabled: camera.enabled ? 1 : 0,
          options: JSON.stringify(camera.options),
          demo: camera.demo ? 1 : 0,
          position: ++position,
          now: this.now(),
        });
        return id;
      });
    })();
    return ids.map((id) => this.get(id)!);
  }

  update(id: string, changes: CameraChanges): CameraConfig | null {
    const current = this.get(id);
    if (!current) return null;
    const options = { ...current.options, ...changes.options };
    // null removes an optional setting (e.g. transcodeSize back to the source size).
    for (const key of Object.keys(options) as (keyof typeof options)[]) if (options[key] === null) delete options[key];
    const next = { ...current, ...changes, options: options as CameraOptions };
    this.db
      .prepare(
        `UPDATE cameras SET name = ?, main_url_sealed = ?, sub_url_sealed = ?, enabled = ?, options_json = ?, updated_at = ? WHERE id = ?`,
      )
      .run(next.name, this.box.seal(next.mainUrl), next.subUrl ? this.box.seal(next.subUrl) : null, next.enabled ? 1 : 0, JSON.stringify(next.options), this.now(), id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM cameras WHERE id = ?').run(id).changes === 1;
  }
}

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
    return row ? (JSON.parse(row.value_json) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json').run(key, JSON.stringify(value));
  }
}
