// Who alerts go to. Callers pass validated input (the API ran the schemas and the channel's
// address check); this layer seals webhook secrets and keeps (channel, address) unique.
import { randomUUID } from 'node:crypto';
import { DESKTOP_RECIPIENT_ID, type Recipient, type RecipientFields } from '../../../shared/alerts';
import { EngineError } from '../engine-error';
import type { SecretBox } from '../secrets/secret-box';
import type { Db } from '../store/database';
import { Statements } from './statements';
import type { AlertRecipient } from './channel';

interface RecipientRow {
  id: string;
  channel: 'whatsapp' | 'webhook';
  address: string;
  name: string;
  groups_json: string;
  may_acknowledge: number;
  enabled: number;
  secret_sealed: string | null;
  created_at: number;
  updated_at: number;
}

/** The desktop channel's recipient: this workstation, with no row of its own. */
export const DESKTOP_RECIPIENT: AlertRecipient = { id: DESKTOP_RECIPIENT_ID, channel: 'desktop', address: 'desktop', name: 'This workstation' };

function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    channel: row.channel,
    address: row.address,
    name: row.name,
    groups: JSON.parse(row.groups_json) as string[],
    mayAcknowledge: row.may_acknowledge === 1,
    enabled: row.enabled === 1,
    hasSecret: row.secret_sealed !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class RecipientsRepo {
  private readonly sql: Statements;

  constructor(
    db: Db,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = new Statements(db);
  }

  list(): Recipient[] {
    return (this.sql.get('SELECT * FROM alert_recipients ORDER BY name COLLATE NOCASE, created_at').all() as RecipientRow[]).map(toRecipient);
  }

  get(id: string): Recipient | null {
    const row = this.sql.get('SELECT * FROM alert_recipients WHERE id = ?').get(id) as RecipientRow | undefined;
    return row ? toRecipient(row) : null;
  }

  require(id: string): Recipient {
    const recipient = this.get(id);
    if (!recipient) throw new EngineError('RESOURCE_NOT_FOUND', `No recipient with id ${id}.`, 404);
    return recipient;
  }

  /** The recipient as a channel sends to it; the desktop one always exists. */
  target(id: string): AlertRecipient | null {
    if (id === DESKTOP_RECIPIENT_ID) return DESKTOP_RECIPIENT;
    const recipient = this.get(id);
    return recipient && recipient.enabled ? { id: recipient.id, channel: recipient.channel, address: recipient.address, name: recipient.name } : null;
  }

  /** The webhook signing secret, opened; null when none is set. */
  secret(id: string): string | null {
    const row = this.sql.get('SELECT secret_sealed FROM alert_recipients WHERE id = ?').get(id) as { secret_sealed: string | null } | undefined;
    return row?.secret_sealed ? this.box.open(row.secret_sealed) : null;
  }

  /** Enabled recipients on this channel with this (normalized) address. */
  byAddress(channel: string, address: string): Recipient[] {
    return (this.sql.get('SELECT * FROM alert_recipients WHERE channel = ? AND address = ? AND enabled = 1').all(channel, address) as RecipientRow[]).map(toRecipient);
  }

  create(fields: RecipientFields): Recipient {
    const id = randomUUID();
    const now = this.now();
    this.unique(fields.channel, fields.address, null);
    this.sql
      .get(
        `INSERT INTO alert_recipients (id, channel, address, name, groups_json, may_acknowledge, enabled, secret_sealed, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, fields.channel, fields.address, fields.name, JSON.stringify(fields.groups), fields.mayAcknowledge ? 1 : 0, fields.enabled ? 1 : 0, fields.secret ? this.box.seal(fields.secret) : null, now, now);
    return this.get(id)!;
  }

  update(id: string, changes: Partial<Omit<RecipientFields, 'channel'>>): Recipient {
    const current = this.require(id);
    if (changes.address !== undefined && changes.address !== current.address) this.unique(current.channel, changes.address, id);
    const sets: string[] = ['updated_at = ?'];
    const values: (string | number | null)[] = [this.now()];
    const set = (column: string, value: string | number | null) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (changes.address !== undefined) set('address', changes.address);
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.groups !== undefined) set('groups_json', JSON.stringify(changes.groups));
    if (changes.mayAcknowledge !== undefined) set('may_acknowledge', changes.mayAcknowledge ? 1 : 0);
    if (changes.enabled !== undefined) set('enabled', changes.enabled ? 1 : 0);
    if (changes.secret !== undefined) set('secret_sealed', changes.secret ? this.box.seal(changes.secret) : null);
    this.sql.get(`UPDATE alert_recipients SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.get(id)!;
  }

  delete(id: string): void {
    this.require(id);
    this.sql.get('DELETE FROM alert_recipients WHERE id = ?').run(id);
  }

  private unique(channel: string, address: string, except: string | null): void {
    const row = this.sql.get('SELECT id FROM alert_recipients WHERE channel = ? AND address = ?').get(channel, address) as { id: string } | undefined;
    if (row && row.id !== except) throw new EngineError('ALERT_RECIPIENT_EXISTS', `A ${channel} recipient with this address already exists.`, 409);
  }
}
