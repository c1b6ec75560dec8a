// Tables of the incidents feature, applied as one numbered migration (store/migrations.ts).
// Incidents are evidence: no foreign key to cameras, so a deleted camera's incidents stay.
export const INCIDENTS_SCHEMA = `
  CREATE TABLE camera_rules (
    camera_id TEXT PRIMARY KEY,
    -- The camera's whole RuleSet, as PUT (validated) and served back unchanged.
    rule_set_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    camera_id TEXT NOT NULL,
    camera_name TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    type TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    -- 0 low .. 3 critical, so the alarm queue can sort by severity with an index.
    severity_rank INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'closed', 'false_alarm')),
    track_id INTEGER,
    -- "<tracker run>:<track id>" as in tracks.track_key, to find the track's best-view thumbnail.
    track_key TEXT,
    label TEXT,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER,
    owner TEXT,
    evidence_lock INTEGER NOT NULL DEFAULT 0,
    snapshot_ref TEXT,
    details_json TEXT NOT NULL DEFAULT '{}'
  );
  -- The alarm queue: open incidents, most severe and newest first.
  CREATE INDEX incidents_open ON incidents (severity_rank DESC, started_at DESC) WHERE state IN ('new', 'acknowledged', 'in_progress');
  CREATE INDEX incidents_camera_time ON incidents (camera_id, started_at);
  CREATE INDEX incidents_started ON incidents (started_at);
  -- Recording retention asks for locked incidents of a camera; few are ever locked.
  CREATE INDEX incidents_locked ON incidents (camera_id, started_at) WHERE evidence_lock = 1;
  -- The audit log: rows are only ever inserted (no UPDATE or DELETE path exists in code).
  CREATE TABLE incident_actions (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at INTEGER NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    note TEXT
  );
  CREATE INDEX incident_actions_incident ON incident_actions (incident_id, id);
  CREATE TRIGGER incident_actions_no_update BEFORE UPDATE ON incident_actions BEGIN SELECT RAISE(ABORT, 'the incident audit log is append-only'); END;
  CREATE TRIGGER incident_actions_no_delete BEFORE DELETE ON incident_actions BEGIN SELECT RAISE(ABORT, 'the incident audit log is append-only'); END;
`;
