// Schema of continuous recording (migration 4). Owned by recording/; not yet released, so it
// may still change until the first release that ships it.
export const RECORDING_SCHEMA = `
  CREATE TABLE recording_segments (
    id INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL
  );
  CREATE INDEX recording_segments_camera_time ON recording_segments (camera_id, start_ms);
`;
