// The outbox table: every alert to every recipient, written before any send, and every move
// of its state. Each move names the state it leaves in its WHERE clause (outbox-state.ts), so
// a row is claimed by one dispatcher only and a late answer never overwrites a newer state.
import type { AlertKind, ChannelKind, Delivery, DeliveryPage, DeliveryQuery, DeliveryState } from '../../../shared/alerts';
import type { AlertReason } from '../../../shared/reasons';
import type { Severity } from '../../../shared/rules';
import type { Db } from '../store/database';
import { Statements } from './statements';
import { ALERT_TTL_MS, type SendResult } from './outbox-state';

export interface OutboxRow {
  id: string;
  idempotency_key: string;
  incident_id: string | null;
  policy_id: string | null;
  camera_id: string | null;
  kind: AlertKind;
  severity: Severity;
  channel: ChannelKind | null;
  recipient_id: string | null;
  recipient_name: string | null;
  address: string | null;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number | null;
  expires_at: number;
  reason: AlertReason | null;
  message: string | null;
  provider_id: string | null;
  title: string;
  text: string;
  payload_json: string;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
}

/** One alert to one recipient, as the enqueuer builds it. */
export type NewDelivery = Pick<Delivery, 'id' | 'idempotencyKey' | 'incidentId' | 'policyId' | 'cameraId' | 'kind' | 'severity' | 'title' | 'channel' | 'recipientId' | 'recipientName'> & {
  text: string;
  payload: Record<string, unknown>;
  /** Null, as the channel and recipient are, for a suppressed alert. */
  address: string | null;
  state: 'queued' | 'suppressed';
  reason?: AlertReason | null;
  message?: string | null;
};

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function toDelivery(row: OutboxRow): Delivery {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    incidentId: row.incident_id,
    policyId: row.policy_id,
    cameraId: row.camera_id,
    kind: row.kind,
    severity: row.severity,
    title: row.title,
    channel: row.channel,
    recipientId: row.recipient_id,
    recipientName: row.recipient_name,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
    expiresAt: row.expires_at,
    reason: row.reason,
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
  };
}

export class OutboxRepo {
  private readonly sql: Statements;

  constructor(private readonly db: Db) {
    this.sql = new Statements(db);
  }

  get(id: string): OutboxRow | null {
    return (this.sql.get('SELECT * FROM alert_outbox WHERE id = ?').get(id) as OutboxRow | undefined) ?? null;
  }

  /**
   * Stores the rows (the caller's transaction makes them one unit with the policy's
   * bookkeeping). A row whose idempotency key exists already is the same alert and is
   * skipped: two policies naming the same person send them one message. Returns the ids stored.
   */
  insert(rows: readonly NewDelivery[], now: number, ttlMs = ALERT_TTL_MS): string[] {
    const insert = this.sql.get(
      `INSERT OR IGNORE INTO alert_outbox (id, idempotency_key, incident_id, policy_id, camera_id, kind, severity, severity_rank, channel, recipient_id, recipient_name, address,
         state, next_attempt_at, expires_at, reason, message, title, text, payload_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const stored: string[] = [];
    for (const row of rows) {
      const changes = insert.run(
        row.id, row.idempotencyKey, row.incidentId, row.policyId, row.cameraId, row.kind, row.severity, RANK[row.severity], row.channel, row.recipientId, row.recipientName, row.address,
        row.state, row.state === 'queued' ? now : null, now + ttlMs, row.reason ?? null, row.message ?? null, row.title, row.text, JSON.stringify(row.payload), now, now,
      ).changes;
      if (changes) stored.push(row.id);
    }
    return stored;
  }

  /** Claims up to `limit` due rows of a channel, most severe first: they become `sending`, one attempt more. */
  claim(channel: ChannelKind, now: number, limit: number): OutboxRow[] {
    return this.db.transaction(() => {
      const ids = this.sql
        .get(`SELECT id FROM alert_outbox INDEXED BY alert_outbox_queue WHERE channel = ? AND state = 'queued' AND next_attempt_at <= ? AND expires_at > ? ORDER BY severity_rank DESC, created_at LIMIT ?`)
        .all(channel, now, now, limit) as { id: string }[];
      const mark = this.sql.get(`UPDATE alert_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'`);
      return ids.filter(({ id }) => mark.run(now, id).changes === 1).map(({ id }) => this.get(id)!);
    })();
  }

  /** The channel's answer to a `sending` row (outbox-state.ts decides what it becomes). */
  settle(id: string, result: SendResult, now: number): boolean {
    if (result.state === 'queued' || result.state === 'failed') {
      const next = result.state === 'queued' ? result.nextAttemptAt : null;
      return this.sql.get(`UPDATE alert_outbox SET state = ?, next_attempt_at = ?, reason = ?, message = ?, updated_at = ? WHERE id = ? AND state = 'sending'`).run(result.state, next, result.reason, result.message, now, id).changes === 1;
    }
    return (
      this.sql
        .get(`UPDATE alert_outbox SET state = ?, provider_id = ?, sent_at = ?, delivered_at = ?, next_attempt_at = NULL, reason = NULL, message = NULL, updated_at = ? WHERE id = ? AND state = 'sending'`)
        .run(result.state, result.providerId, now, result.state === 'delivered' ? now : null, now, id).changes === 1
    );
  }

  /** A send cut short by the engine stopping: due again at once, the attempt already counted. */
  release(id: string, now: number): boolean {
    return this.sql.get(`UPDATE alert_outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'sending'`).run(now, now, id).changes === 1;
  }

  /**
   * Rows a crash left `sending` go back to the queue. Whether the receiver got them is
   * unknown: they are sent again with the same idempotency key, and the receiver drops repeats.
   */
  recoverSending(now: number): string[] {
    return this.db.transaction(() => {
      const ids = (this.sql.get(`SELECT id FROM alert_outbox WHERE state = 'sending'`).all() as { id: string }[]).map((r) => r.id);
      this.sql.get(`UPDATE alert_outbox SET state = 'queued', next_attempt_at = ?, message = 'The engine stopped during the send; sent again with the same idempotency key.', updated_at = ? WHERE state = 'sending'`).run(now, now);
      return ids;
    })();
  }

  /** Queued rows past their expiry become `expired`; returns their ids. */
  expire(now: number): string[] {
    return this.db.transaction(() => {
      const ids = (this.sql.get(`SELECT id FROM alert_outbox WHERE state = 'queued' AND expires_at <= ?`).all(now) as { id: string }[]).map((r) => r.id);
      const mark = this.sql.get(
        `UPDATE alert_outbox SET state = 'expired', reason = 'ALERT_EXPIRED', message = COALESCE('Last problem: ' || message, 'Never sent: the channel was not ready.'), next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state = 'queued'`,
      );
      return ids.filter((id) => mark.run(now, id).changes === 1);
    })();
  }

  /** A receipt for a message accepted earlier; the row's id when it moved to `delivered`. */
  delivered(providerId: string, at: number): string | null {
    const row = this.sql.get(`SELECT id FROM alert_outbox WHERE provider_id = ? AND state = 'sent'`).get(providerId) as { id: string } | undefined;
    if (!row) return null;
    return this.sql.get(`UPDATE alert_outbox SET state = 'delivered', delivered_at = ?, updated_at = ? WHERE id = ? AND state = 'sent'`).run(at, at, row.id).changes === 1 ? row.id : null;
  }

  /** An operator's retry of a failed or expired row: queued again, same key, a fresh expiry. */
  requeue(id: string, now: number, ttlMs = ALERT_TTL_MS): boolean {
    return (
      this.sql
        .get(`UPDATE alert_outbox SET state = 'queued', next_attempt_at = ?, expires_at = ?, reason = NULL, message = NULL, updated_at = ? WHERE id = ? AND state IN ('failed', 'expired')`)
        .run(now, now + ttlMs, now, id).changes === 1
    );
  }

  /** When the channel's next queued (unexpired) row is due, or null when none is. */
  nextDue(channel: ChannelKind, now: number): number | null {
    const row = this.sql.get(`SELECT MIN(next_attempt_at) AS at FROM alert_outbox WHERE channel = ? AND state = 'queued' AND expires_at > ?`).get(channel, now) as { at: number | null };
    return row.at;
  }

  byProviderId(providerId: string): OutboxRow | null {
    return (this.sql.get('SELECT * FROM alert_outbox WHERE provider_id = ? LIMIT 1').get(providerId) as OutboxRow | undefined) ?? null;
  }

  /** Incidents alerted (not just held back) whose id starts with `prefix`; at most `limit`. */
  alertedIncidents(prefix: string, limit = 3): string[] {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.sql.get(`SELECT DISTINCT incident_id FROM alert_outbox WHERE incident_id LIKE ? ESCAPE '\\' AND state != 'suppressed' LIMIT ?`).all(pattern, limit) as { incident_id: string }[];
    return rows.map((r) => r.incident_id);
  }

  /** Newest first; `before` is `<createdAt>:<id>` of the last row of the previous page. */
  list(query: DeliveryQuery): DeliveryPage {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const filter = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.state) filter('state = ?', query.state);
    if (query.channel) filter('channel = ?', query.channel);
    if (query.kind) filter('kind = ?', query.kind);
    if (query.incident) filter('incident_id = ?', query.incident);
    if (query.recipient) filter('recipient_id = ?', query.recipient);
    if (query.before) {
      const colon = query.before.indexOf(':');
      const at = Number(query.before.slice(0, colon));
      filter('(created_at < ? OR (created_at = ? AND id < ?))', at, at, query.before.slice(colon + 1));
    }
    const rows = this.sql
      .get(`SELECT * FROM alert_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params, query.limit + 1) as OutboxRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { deliveries: page.map(toDelivery), next: rows.length > query.limit && last ? `${last.created_at}:${last.id}` : null };
  }

  /** Finished rows older than `before` go (the delivery log keeps 30 days); returns how many. */
  prune(before: number): number {
    return this.sql.get(`DELETE FROM alert_outbox WHERE created_at < ? AND state IN ('sent', 'delivered', 'failed', 'expired', 'suppressed')`).run(before).changes;
  }
}
