// Numbered schema changes, applied in order and never edited once released: add a new entry.
export const MIGRATIONS: readonly string[] = [
  // 1: cameras and engine settings
  `
  CREATE TABLE cameras (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Stream URLs hold passwords, so they are stored sealed (see secrets/secret-box.ts).
    main_url_sealed TEXT NOT NULL,
    sub_url_sealed TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    options_json TEXT NOT NULL DEFAULT '{}',
    demo INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL
  );
  `,
];
