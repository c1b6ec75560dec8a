// Incident rows and their audit log. Every change of an incident and the audit row that
// records it commit in one transaction: the log never misses a change, nor records one that
// did not happen. The log is only ever appended to (the schema's triggers refuse the rest).
import { randomUUID } from 'node:crypto';
import type { Incident, IncidentAction, IncidentActionKind, IncidentActionRequest, IncidentQuery, IncidentState } from '../../../shared/incidents';
import type { Severity } from '../../../shared/rules';
import { EngineError } from '../engine-error';
import type { Db } from '../store/database';
import { nextState, OPEN_STATES } from './incident-transitions';

/** Who the engine's own audit rows name. */
export const ENGINE_WHO = 'vigil';

/** How far around a locked incident its footage is kept, before and after. */
export const LOCK_MARGIN_MS = 30_000;

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface IncidentRow {
  id: string;
  camera_id: string;
  camera_name: string;
  rule_id: string;
  rule_name: string;
  type: string;
  severity: Severity;
  state: IncidentState;
  track_id: number | null;
  track_key: string | null;
  label: string | null;
  started_at: number;
  updated_at: number;
  ended_at: number | null;
  owner: string | null;
  evidence_lock: number;
  snapshot_ref: string | null;
  details_json: string;
}

export interface NewIncident {
  cameraId: string;
  cameraName: string;
  ruleId: string;
  ruleName: string;
  type: string;
  severity: Severity;
  trackId: number | null;
  /** The track's key in the tracks table, to find its thumbnail later. */
  trackKey: string | null;
  label: string | null;
  /** When the condition began; `raisedAt` is when the rule's wait was over and it became an incident. */
  startedAt: number;
  raisedAt: number;
  details: Record<string, unknown>;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    cameraId: row.camera_id,
    cameraName: row.camera_name,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    type: row.type,
    severity: row.severity,
    state: row.state,
    trackId: row.track_id,
    label: row.label,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    owner: row.owner,
    evidenceLock: row.evidence_lock === 1,
    snapshotRef: row.snapshot_ref,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
  };
}

export class IncidentsRepo {
  constructor(private readonly db: Db) {}

  private row(id: string): IncidentRow | null {
    return (this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined) ?? null;
  }

  private audit(incidentId: string, at: number, who: string, action: IncidentActionKind, note: string | null): void {
    this.db.prepare('INSERT INTO incident_actions (incident_id, at, who, action, note) VALUES (?, ?, ?, ?, ?)').run(incidentId, at, who, action, note);
  }

  get(id: string): Incident | null {
    const row = this.row(id);
    return row ? toIncident(row) : null;
  }

  actions(incidentId: string): IncidentAction[] {
    const rows = this.db.prepare('SELECT id, incident_id, at, who, action, note FROM incident_actions WHERE incident_id = ? ORDER BY id').all(incidentId) as {
      id: number;
      incident_id: string;
      at: number;
      who: string;
      action: IncidentActionKind;
      note: string | null;
    }[];
    return rows.map((row) => ({ id: row.id, incidentId: row.incident_id, at: row.at, who: row.who, action: row.action, note: row.note }));
  }

  /** Newest first and, within the same second, most severe first. */
  list(query: IncidentQuery): Incident[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const filter = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.state === 'open') filter(`state IN (${OPEN_STATES.map(() => '?').join(', ')})`, ...OPEN_STATES);
    else if (query.state) filter('state = ?', query.state);
    if (query.camera) filter('camera_id = ?', query.camera);
    if (query.severity) filter('severity = ?', query.severity);
    if (query.from !== undefined) filter('started_at >= ?', query.from);
    if (query.to !== undefined) filter('started_at <= ?', query.to);
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY started_at / 1000 DESC, severity_rank DESC, started_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit) as IncidentRow[]).map(toIncident);
  }

  /** A rule's condition began: a new incident, and 'raised' in its log. */
  raise(input: NewIncident): Incident {
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO incidents (id, camera_id, camera_name, rule_id, rule_name, type, severity, severity_rank, state, track_id, track_key, label, started_at, updated_at, details_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.cameraId, input.cameraName, input.ruleId, input.ruleName, input.type, input.severity, SEVERITY_RANK[input.severity], input.trackId, input.trackKey, input.label, input.startedAt, input.raisedAt, JSON.stringify(input.details));
      this.audit(id, input.raisedAt, ENGINE_WHO, 'raised', null);
    })();
    return this.get(id)!;
  }

  /** The condition still holds: latest time and details only (not an audited change). */
  touch(id: string, at: number, details: Record<string, unknown>): Incident | null {
    this.db.prepare('UPDATE incidents SET updated_at = MAX(updated_at, ?), details_json = ? WHERE id = ? AND ended_at IS NULL').run(at, JSON.stringify(details), id);
    return this.get(id);
  }

  /** The condition is over; the incident stays for the operators until they close it. */
  endCondition(id: string, at: number, details: Record<string, unknown>, why: string): Incident | null {
    const ended = this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE incidents SET ended_at = ?, updated_at = MAX(updated_at, ?), details_json = ? WHERE id = ? AND ended_at IS NULL').run(at, at, JSON.stringify(details), id).changes;
      if (changed) this.audit(id, at, ENGINE_WHO, 'condition-ended', why);
      return changed === 1;
    })();
    return ended ? this.get(id) : null;
  }

  /**
   * Conditions left open by a crash or power cut will never see their end: they end at the
   * last time they were seen. Returns the incidents it ended.
   */
  endLeftOpen(why: string): Incident[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare('SELECT id, updated_at FROM incidents WHERE ended_at IS NULL').all() as { id: string; updated_at: number }[];
      for (const row of rows) {
        this.db.prepare('UPDATE incidents SET ended_at = updated_at WHERE id = ?').run(row.id);
        this.audit(row.id, row.updated_at, ENGINE_WHO, 'condition-ended', why);
      }
      return rows.map((row) => this.get(row.id)!);
    })();
  }

  /** An operator's action, checked against the incident's state; throws INCIDENT_TRANSITION_INVALID. */
  act(id: string, request: IncidentActionRequest, at: number): Incident {
    this.db.transaction(() => {
      const row = this.row(id);
      if (!row) throw new EngineError('RESOURCE_NOT_FOUND', `No incident with id ${id}.`, 404);
      const state = nextState(row.state, request.action);
      let owner = row.owner;
      let lock = row.evidence_lock;
      let note = 'note' in request ? (request.note ?? null) : null;
      if (request.action === 'assign') {
        owner = request.owner;
        note = request.owner;
      }
      // Whoever takes an unowned incident on owns it.
      if ((request.action === 'acknowledge' || request.action === 'start') && owner === null) owner = request.who;
      if (request.action === 'lock') lock = 1;
      if (request.action === 'unlock') lock = 0;
      this.db.prepare('UPDATE incidents SET state = ?, owner = ?, evidence_lock = ?, updated_at = MAX(updated_at, ?) WHERE id = ?').run(state, owner, lock, at, id);
      this.audit(id, at, request.who, request.action, note);
    })();
    return this.get(id)!;
  }

  /** Audits an export of the incident's evidence (no state changes); false when there is no such incident. */
  recordExport(id: string, at: number, who: string, note: string): boolean {
    if (!this.row(id)) return false;
    this.audit(id, at, who, 'export', note);
    return true;
  }

  /** True when an incident under evidence lock covers any of [from, to] of this camera's footage. */
  isLocked(cameraId: string, from: number, to: number, now: number): boolean {
    const row = this.db
      .prepare('SELECT 1 FROM incidents WHERE camera_id = ? AND evidence_lock = 1 AND started_at - ? <= ? AND COALESCE(ended_at, ?) + ? >= ? LIMIT 1')
      .get(cameraId, LOCK_MARGIN_MS, to, now, LOCK_MARGIN_MS, from);
    return row !== undefined;
  }

  /**
   * Fills the thumbnail of an incident whose track has one by now (the tracks store saves it
   * once the track ends, after the incident was raised). The incident when it was filled.
   */
  fillSnapshot(id: string): Incident | null {
    const changed = this.db
      .prepare(
        `UPDATE incidents SET snapshot_ref = (SELECT t.snapshot_ref FROM tracks t WHERE t.camera_id = incidents.camera_id AND t.track_key = incidents.track_key)
         WHERE id = ? AND snapshot_ref IS NULL AND track_key IS NOT NULL
           AND EXISTS (SELECT 1 FROM tracks t WHERE t.camera_id = incidents.camera_id AND t.track_key = incidents.track_key AND t.snapshot_ref IS NOT NULL)`,
      )
      .run(id).changes;
    return changed ? this.get(id) : null;
  }
}
