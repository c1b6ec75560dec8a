// The recording index: one row per segment file. The files are the footage; this table is how
// review finds them without listing directories, and how retention picks the oldest.
export const RECORDING_SCHEMA = `
  CREATE TABLE recording_segments (
    id INTEGER PRIMARY KEY,
    -- No foreign key: a deleted camera's footage stays until retention removes it.
    camera_id TEXT NOT NULL,
    -- Wall-clock ms of the first and last moment of video in the file.
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    -- Relative to the recordings directory (camera/day/file.mp4), so the folder can be moved.
    path TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    -- 1 when the file was found on disk after a crash rather than reported closed by FFmpeg:
    -- it ends at its last complete fragment and its end time comes from the file's mtime.
    recovered INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX recording_segments_camera_time ON recording_segments (camera_id, start_ms);
  -- Retention removes the oldest segments first, across all cameras.
  CREATE INDEX recording_segments_start ON recording_segments (start_ms);
  -- The quota needs the total size at every retention pass; a SUM over a month of segments
  -- (36 cameras x 8640 a day) would read the whole table, so triggers keep the total.
  CREATE TABLE recording_usage (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    bytes INTEGER NOT NULL,
    segments INTEGER NOT NULL
  );
  INSERT INTO recording_usage (id, bytes, segments) VALUES (1, 0, 0);
  CREATE TRIGGER recording_segments_added AFTER INSERT ON recording_segments BEGIN
    UPDATE recording_usage SET bytes = bytes + NEW.bytes, segments = segments + 1 WHERE id = 1;
  END;
  CREATE TRIGGER recording_segments_removed AFTER DELETE ON recording_segments BEGIN
    UPDATE recording_usage SET bytes = bytes - OLD.bytes, segments = segments - 1 WHERE id = 1;
  END;
`;
