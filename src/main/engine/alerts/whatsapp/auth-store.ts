// The linked device's auth state in SQLite: Baileys' credentials and Signal keys as rows,
// each value sealed with the engine's SecretBox (AES-256-GCM) and each id replaced by an
// HMAC. Writes of many keys (Baileys commits a whole Signal transaction at once, e.g. 812
// pre-keys when a device links) go in one SQLite transaction: never half of one is stored.
// Values travel as JSON text (auth-json.ts), so the engine never needs Baileys to store them.
import { createHmac, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../secrets/secret-box';
import type { Db } from '../../store/database';

export const CREDS = 'creds';
/** The HMAC key for ids: random, sealed like the values, gone with a wipe. */
const META = '_meta';
const ID_KEY = 'id-key';

export interface AuthWrite {
  category: string;
  id: string;
  /** The value as JSON; null deletes it. */
  json: string | null;
}

export class WhatsAppAuthStore {
  private idKey: Buffer | null = null;
  private readonly selectOne;
  private readonly upsert;
  private readonly remove;
  private readonly removeAll;
  private readonly removeKeys;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {
    this.selectOne = db.prepare<[string, string], { value_sealed: string }>('SELECT value_sealed FROM whatsapp_auth WHERE category = ? AND key_id = ?');
    this.upsert = db.prepare<[string, string, string, number]>(
      'INSERT INTO whatsapp_auth (category, key_id, value_sealed, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (category, key_id) DO UPDATE SET value_sealed = excluded.value_sealed, updated_at = excluded.updated_at',
    );
    this.remove = db.prepare<[string, string]>('DELETE FROM whatsapp_auth WHERE category = ? AND key_id = ?');
    this.removeAll = db.prepare('DELETE FROM whatsapp_auth');
    this.removeKeys = db.prepare(`DELETE FROM whatsapp_auth WHERE category NOT IN ('${CREDS}', '${META}')`);
  }

  readCreds(): string | null {
    return this.readJson(CREDS, [CREDS]).get(CREDS) ?? null;
  }

  /** The JSON stored under these ids; missing ids are left out. */
  readJson(category: string, ids: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    const key = this.idHmacKey(false);
    if (!key) return found;
    for (const id of ids) {
      const row = this.selectOne.get(category, this.keyId(key, category, id));
      if (row) found.set(id, this.box.open(row.value_sealed));
    }
    return found;
  }

  /** All rows in one transaction; every value is sealed before the first row is written. */
  writeJson(rows: readonly AuthWrite[]): void {
    const now = this.now();
    this.db.transaction(() => {
      const key = this.idHmacKey(true)!;
      const sealed = rows.map((row) => ({ category: row.category, keyId: this.keyId(key, row.category, row.id), value: row.json === null ? null : this.box.seal(row.json) }));
      for (const { category, keyId, value } of sealed) {
        if (value === null) this.remove.run(category, keyId);
        else this.upsert.run(category, keyId, value, now);
      }
    })();
  }

  /** Forgets the link: credentials, every key, and the id key. */
  wipe(): void {
    this.removeAll.run();
    this.idKey = null;
  }

  /** Forgets the Signal keys and keeps the credentials (Baileys' SignalKeyStore.clear). */
  wipeKeys(): void {
    this.removeKeys.run();
  }

  /**
   * The linked number (digits), or null when no device finished linking: the engine starts
   * the worker only when there is one, and shows it as "linked as".
   */
  linkedAs(): string | null {
    const text = this.readCreds();
    if (!text) return null;
    const creds = JSON.parse(text) as { me?: { id?: unknown }; account?: unknown };
    // A pairing-code attempt writes `me` before the phone confirms; `account` (the signed
    // device identity) appears only once the phone has accepted the link.
    if (typeof creds.me?.id !== 'string' || !creds.account) return null;
    return /^(\d+)/.exec(creds.me.id)?.[1] ?? null;
  }

  private idHmacKey(create: boolean): Buffer | null {
    if (this.idKey) return this.idKey;
    const row = this.selectOne.get(META, ID_KEY);
    if (row) this.idKey = Buffer.from(this.box.open(row.value_sealed), 'base64');
    else if (create) {
      this.idKey = randomBytes(32);
      this.upsert.run(META, ID_KEY, this.box.seal(this.idKey.toString('base64')), this.now());
    }
    return this.idKey;
  }

  private keyId(key: Buffer, category: string, id: string): string {
    return createHmac('sha256', key).update(category).update('\0').update(id).digest('base64url');
  }
}
