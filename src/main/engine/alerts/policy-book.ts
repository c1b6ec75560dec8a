// What the policy engine remembers between incident events, in SQLite so that cooldowns,
// digests, hourly counts and escalation timers survive a restart. The engine reads and writes
// it inside the transaction that also stores the outbox rows of its decision.
import type { IncidentState } from '../../../shared/incidents';
import type { Severity } from '../../../shared/rules';
import type { Db } from '../store/database';
import { Statements } from './statements';

export interface SubjectRecord {
  subjectKey: string;
  policyId: string;
  incidentId: string | null;
  cameraId: string;
  type: string;
  /** The first alert went out (queued); false when the policy held it back. */
  alerted: boolean;
  suppressedReason: string | null;
  raisedAt: number;
  acknowledgedTold: boolean;
  endedTold: boolean;
  escalateAt: number | null;
  escalatedAt: number | null;
}

export interface ThrottleRecord {
  key: string;
  policyId: string;
  cameraId: string;
  cameraName: string;
  type: string;
  lastAlertAt: number | null;
  digestCount: number;
  digestSince: number | null;
  digestDueAt: number | null;
  digestRules: string[];
  digestSeverity: Severity | null;
}

/** An escalation that is due, with what the incident looks like now. */
export interface DueEscalation {
  record: SubjectRecord;
  incident: { id: string; cameraName: string; ruleId: string; ruleName: string; type: string; severity: Severity; state: IncidentState; startedAt: number; endedAt: number | null } | null;
}

interface SubjectRow {
  subject_key: string;
  policy_id: string;
  incident_id: string | null;
  camera_id: string;
  type: string;
  alerted: number;
  suppressed_reason: string | null;
  raised_at: number;
  acknowledged_told: number;
  ended_told: number;
  escalate_at: number | null;
  escalated_at: number | null;
}

interface ThrottleRow {
  throttle_key: string;
  policy_id: string;
  camera_id: string;
  camera_name: string;
  type: string;
  last_alert_at: number | null;
  digest_count: number;
  digest_since: number | null;
  digest_due_at: number | null;
  digest_rules_json: string;
  digest_severity: Severity | null;
}

const HOUR_MS = 60 * 60_000;

function toSubject(row: SubjectRow): SubjectRecord {
  return {
    subjectKey: row.subject_key,
    policyId: row.policy_id,
    incidentId: row.incident_id,
    cameraId: row.camera_id,
    type: row.type,
    alerted: row.alerted === 1,
    suppressedReason: row.suppressed_reason,
    raisedAt: row.raised_at,
    acknowledgedTold: row.acknowledged_told === 1,
    endedTold: row.ended_told === 1,
    escalateAt: row.escalate_at,
    escalatedAt: row.escalated_at,
  };
}

function toThrottle(row: ThrottleRow): ThrottleRecord {
  return {
    key: row.throttle_key,
    policyId: row.policy_id,
    cameraId: row.camera_id,
    cameraName: row.camera_name,
    type: row.type,
    lastAlertAt: row.last_alert_at,
    digestCount: row.digest_count,
    digestSince: row.digest_since,
    digestDueAt: row.digest_due_at,
    digestRules: JSON.parse(row.digest_rules_json) as string[],
    digestSeverity: row.digest_severity,
  };
}

export class PolicyBook {
  private readonly sql: Statements;

  constructor(private readonly db: Db) {
    this.sql = new Statements(db);
  }

  subject(subjectKey: string, policyId: string): SubjectRecord | null {
    const row = this.sql.get('SELECT * FROM alert_subjects WHERE subject_key = ? AND policy_id = ?').get(subjectKey, policyId) as SubjectRow | undefined;
    return row ? toSubject(row) : null;
  }

  putSubject(r: SubjectRecord): void {
    this.sql
      .get(
        `INSERT INTO alert_subjects (subject_key, policy_id, incident_id, camera_id, type, alerted, suppressed_reason, raised_at, acknowledged_told, ended_told, escalate_at, escalated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (subject_key, policy_id) DO UPDATE SET alerted = excluded.alerted, suppressed_reason = excluded.suppressed_reason,
           acknowledged_told = excluded.acknowledged_told, ended_told = excluded.ended_told, escalate_at = excluded.escalate_at, escalated_at = excluded.escalated_at`,
      )
      .run(r.subjectKey, r.policyId, r.incidentId, r.cameraId, r.type, r.alerted ? 1 : 0, r.suppressedReason, r.raisedAt, r.acknowledgedTold ? 1 : 0, r.endedTold ? 1 : 0, r.escalateAt, r.escalatedAt);
  }

  throttle(key: string): ThrottleRecord | null {
    const row = this.sql.get('SELECT * FROM alert_throttle WHERE throttle_key = ?').get(key) as ThrottleRow | undefined;
    return row ? toThrottle(row) : null;
  }

  putThrottle(t: ThrottleRecord): void {
    this.sql
      .get(
        `INSERT INTO alert_throttle (throttle_key, policy_id, camera_id, camera_name, type, last_alert_at, digest_count, digest_since, digest_due_at, digest_rules_json, digest_severity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (throttle_key) DO UPDATE SET camera_name = excluded.camera_name, last_alert_at = excluded.last_alert_at, digest_count = excluded.digest_count,
           digest_since = excluded.digest_since, digest_due_at = excluded.digest_due_at, digest_rules_json = excluded.digest_rules_json, digest_severity = excluded.digest_severity`,
      )
      .run(t.key, t.policyId, t.cameraId, t.cameraName, t.type, t.lastAlertAt, t.digestCount, t.digestSince, t.digestDueAt, JSON.stringify(t.digestRules), t.digestSeverity);
  }

  /** Alerts this policy counted in the hour before `now`. */
  countLastHour(policyId: string, now: number): number {
    return (this.sql.get('SELECT COUNT(*) AS n FROM alert_rate WHERE policy_id = ? AND at > ?').get(policyId, now - HOUR_MS) as { n: number }).n;
  }

  /** When the policy's hourly count drops below its current value (its oldest counted alert leaves the hour). */
  hourFreesAt(policyId: string, now: number): number {
    const row = this.sql.get('SELECT MIN(at) AS at FROM alert_rate WHERE policy_id = ? AND at > ?').get(policyId, now - HOUR_MS) as { at: number | null };
    return (row.at ?? now) + HOUR_MS + 1;
  }

  count(policyId: string, at: number): void {
    this.sql.get('INSERT INTO alert_rate (policy_id, at) VALUES (?, ?)').run(policyId, at);
    this.sql.get('DELETE FROM alert_rate WHERE policy_id = ? AND at <= ?').run(policyId, at - HOUR_MS);
  }

  /** Escalations due by `now`, each with its incident as it is now (null when it is gone). */
  dueEscalations(now: number): DueEscalation[] {
    const rows = this.sql.get('SELECT * FROM alert_subjects WHERE escalate_at IS NOT NULL AND escalate_at <= ? ORDER BY escalate_at LIMIT 100').all(now) as SubjectRow[];
    const incident = this.sql.get('SELECT id, camera_name, rule_id, rule_name, type, severity, state, started_at, ended_at FROM incidents WHERE id = ?');
    return rows.map((row) => {
      const found = row.incident_id
        ? (incident.get(row.incident_id) as { id: string; camera_name: string; rule_id: string; rule_name: string; type: string; severity: Severity; state: IncidentState; started_at: number; ended_at: number | null } | undefined)
        : undefined;
      return {
        record: toSubject(row),
        incident: found
          ? { id: found.id, cameraName: found.camera_name, ruleId: found.rule_id, ruleName: found.rule_name, type: found.type, severity: found.severity, state: found.state, startedAt: found.started_at, endedAt: found.ended_at }
          : null,
      };
    });
  }

  dueDigests(now: number): ThrottleRecord[] {
    return (this.sql.get('SELECT * FROM alert_throttle WHERE digest_due_at IS NOT NULL AND digest_due_at <= ? ORDER BY digest_due_at LIMIT 100').all(now) as ThrottleRow[]).map(toThrottle);
  }

  /** When the next escalation or digest is due, or null when none waits. */
  nextDue(): number | null {
    const row = this.sql
      .get('SELECT MIN(at) AS at FROM (SELECT MIN(escalate_at) AS at FROM alert_subjects WHERE escalate_at IS NOT NULL UNION ALL SELECT MIN(digest_due_at) FROM alert_throttle WHERE digest_due_at IS NOT NULL)')
      .get() as { at: number | null };
    return row.at;
  }

  /**
   * Incidents raised since `since`, still new, that no policy ever decided on: a crash came
   * between the incident's commit and the alert decision's.
   */
  undecidedIncidents(since: number): string[] {
    const rows = this.sql
      .get(
        `SELECT i.id FROM incidents i JOIN incident_actions a ON a.incident_id = i.id AND a.action = 'raised'
         WHERE i.state = 'new' AND a.at > ? AND NOT EXISTS (SELECT 1 FROM alert_subjects s WHERE s.subject_key = i.id) ORDER BY a.at LIMIT 1000`,
      )
      .all(since) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Forgets subjects with nothing left to do that were raised before `before`. */
  prune(before: number): number {
    return this.sql.get('DELETE FROM alert_subjects WHERE raised_at < ? AND escalate_at IS NULL').run(before).changes;
  }
}
