// Schema of zones, rules, incidents and their audit log (migration 5). Owned by incidents/ and
// rules/; not yet released, so it may still change until the first release that ships it.
export const INCIDENTS_SCHEMA = `
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    camera_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
`;
