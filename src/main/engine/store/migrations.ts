// Numbered schema changes, applied in order and never edited once released: add a new entry.
import { INCIDENTS_SCHEMA } from '../incidents/incidents-schema';
import { RECORDING_SCHEMA } from '../recording/recording-schema';
import { WHATSAPP_SCHEMA } from '../alerts/whatsapp/whatsapp-schema';
import { ALERTS_SCHEMA } from '../alerts/alerts-schema';

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
  // 2: object tracks, one row per track (see docs/storage.md for why not one per frame)
  `
  CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    -- No foreign key: a deleted camera's tracks stay as evidence until retention removes them.
    camera_id TEXT NOT NULL,
    -- "<tracker run>:<track id>": tracker ids restart with the tracker, the run keeps keys unique.
    track_key TEXT NOT NULL,
    label TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    best_score REAL NOT NULL,
    -- x1, y1, x2, y2 as four little-endian int16 pixels of the frame below.
    best_box BLOB NOT NULL,
    best_at INTEGER NOT NULL,
    frame_w INTEGER NOT NULL,
    frame_h INTEGER NOT NULL,
    ended INTEGER NOT NULL DEFAULT 0,
    -- Filled once the best snapshot is saved: a key in the snapshot store, not a full path.
    snapshot_ref TEXT,
    -- Packed samples (tracks-repo.ts, encodeSamples); last, so that reading the columns above
    -- never follows a long track's overflow pages.
    samples BLOB NOT NULL
  );
  CREATE UNIQUE INDEX tracks_key ON tracks (camera_id, track_key);
  CREATE INDEX tracks_camera_time ON tracks (camera_id, first_seen);
  -- Tracks longer than ten minutes (a parked car), so a time-range query can start its
  -- first_seen scan ten minutes before the range instead of at the beginning of time.
  CREATE INDEX tracks_camera_long ON tracks (camera_id, last_seen) WHERE last_seen - first_seen > 600000;
  -- Retention removes the oldest rows first, in small batches.
  CREATE INDEX tracks_last_seen ON tracks (last_seen);
  `,
  // 3: offline analysis jobs (footage imported in the UI)
  `
  CREATE TABLE analysis_jobs (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    fps INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress REAL NOT NULL DEFAULT 0,
    frames INTEGER NOT NULL DEFAULT 0,
    tracks INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX analysis_jobs_created ON analysis_jobs (created_at);
  `,
  // 4: camera rule sets, incidents and their append-only audit log (incidents/incidents-schema.ts)
  INCIDENTS_SCHEMA,
  // 5: recording segments, one row per file (recording/recording-schema.ts)
  RECORDING_SCHEMA,
  // -- migration 6: alerts --
  // 6: alert recipients, the outbox and the policies' bookkeeping (alerts/alerts-schema.ts)
  ALERTS_SCHEMA,
  // -- migration 7: whatsapp --
  // 7: the linked WhatsApp device's auth state, sealed (alerts/whatsapp/whatsapp-schema.ts)
  WHATSAPP_SCHEMA,
];
