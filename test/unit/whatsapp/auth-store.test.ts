// The WhatsApp link in SQLite: a round trip keeps every byte, nothing readable sits in the
// file, a batch of keys is stored whole or not at all, and a wipe leaves nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferJSON, initAuthCreds, proto, type SignalDataSet } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { fromAuthJson, toAuthJson } from '../../../src/main/engine/alerts/whatsapp/auth-json';
import { loadAuthState, storeRows } from '../../../src/main/engine/alerts/whatsapp/auth-state';
import { WhatsAppAuthStore } from '../../../src/main/engine/alerts/whatsapp/auth-store';
import { baileysCodec } from '../../../src/main/engine/alerts/whatsapp/baileys-socket';
import { SecretBox } from '../../../src/main/engine/secrets/secret-box';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileStore(): { store: WhatsAppAuthStore; db: Db; file: string; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wa-auth-'));
  dirs.push(dir);
  const file = join(dir, 'vigil.db');
  const db = openDatabase(file);
  dbs.push(db);
  const key = randomBytes(32);
  return { store: new WhatsAppAuthStore(db, new SecretBox(key)), db, file, key };
}

const PHONE = '4915112345678';

describe('WhatsApp auth store', () => {
  it('round-trips credentials and Signal keys through SQLite, Buffers and proto objects included', async () => {
    const { store, db, key } = fileStore();
    const rows = storeRows(store);
    const first = await loadAuthState(rows, baileysCodec, false);
    expect(first.linked()).toBe(false);
    first.state.creds.me = { id: `${PHONE}:7@s.whatsapp.net`, name: 'Site phone' };
    first.state.creds.account = { details: randomBytes(40), accountSignature: randomBytes(64) };
    await first.saveCreds();
    const session = randomBytes(300);
    const appKey = proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32), fingerprint: { rawId: 7, currentIndex: 1 }, timestamp: 1736154000 });
    await first.state.keys.set({ session: { [`${PHONE}.0`]: session }, 'app-state-sync-key': { AAAAAA: appKey }, 'pre-key': { '1': { public: randomBytes(32), private: randomBytes(32) } } });

    // A new store on the same file, as after a restart.
    const again = await loadAuthState(storeRows(new WhatsAppAuthStore(db, new SecretBox(key))), baileysCodec, false);
    expect(again.linked()).toBe(true);
    expect(again.state.creds.noiseKey.private).toEqual(first.state.creds.noiseKey.private);
    expect(Buffer.isBuffer(again.state.creds.signedIdentityKey.public)).toBe(true);
    expect(again.state.creds.account?.details).toEqual(first.state.creds.account.details);
    const sessions = await again.state.keys.get('session', [`${PHONE}.0`, 'missing.0']);
    expect(sessions).toEqual({ [`${PHONE}.0`]: session });
    const app = (await again.state.keys.get('app-state-sync-key', ['AAAAAA'])).AAAAAA!;
    expect(app).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(app.keyData!)).toEqual(Buffer.from(appKey.keyData!));
    expect(store.linkedAs()).toBe(PHONE);
    // Deleting: null removes a key.
    await again.state.keys.set({ session: { [`${PHONE}.0`]: null } });
    expect(await again.state.keys.get('session', [`${PHONE}.0`])).toEqual({});
  });

  it('stores nothing readable: no key bytes, no phone numbers, no ids, not even in the file', async () => {
    const { store, db, file } = fileStore();
    const auth = await loadAuthState(storeRows(store), baileysCodec, false);
    auth.state.creds.me = { id: `${PHONE}:7@s.whatsapp.net`, name: 'Site phone' };
    auth.state.creds.account = { details: randomBytes(40) };
    await auth.saveCreds();
    const secret = randomBytes(48);
    await auth.state.keys.set({ session: { [`${PHONE}.0`]: secret }, 'lid-mapping': { [PHONE]: '123456789012345' } });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = db.prepare('SELECT category, key_id, value_sealed FROM whatsapp_auth').all() as { category: string; key_id: string; value_sealed: string }[];
    const dump = JSON.stringify(raw);
    const fileBytes = readFileSync(file).toString('latin1');
    const plain = [PHONE, 'Site phone', '123456789012345', 'noiseKey', 'signedIdentityKey', secret.toString('base64'), Buffer.from(auth.state.creds.noiseKey.private).toString('base64')];
    for (const text of plain) {
      expect(dump).not.toContain(text);
      expect(fileBytes).not.toContain(text);
    }
    expect(raw.every((row) => row.value_sealed.startsWith('v1:'))).toBe(true);
    expect(raw.map((row) => row.category).sort()).toEqual(['_meta', 'creds', 'lid-mapping', 'session']);
  });

  it('a batch of keys is one transaction: all of it lands, or none of it', async () => {
    const { store, db } = fileStore();
    const auth = await loadAuthState(storeRows(store), baileysCodec, false);
    const preKeys: SignalDataSet['pre-key'] = {};
    for (let id = 1; id <= 812; id++) preKeys[String(id)] = { public: randomBytes(32), private: randomBytes(32) };
    await auth.state.keys.set({ 'pre-key': preKeys });
    expect(Object.keys(await auth.state.keys.get('pre-key', Object.keys(preKeys)))).toHaveLength(812);

    // The disk refuses the last row of the next batch: the rows before it must not stay.
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON whatsapp_auth WHEN NEW.category = 'sender-key' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    await expect(auth.state.keys.set({ session: { 'a.0': randomBytes(10), 'b.0': randomBytes(10) }, 'pre-key': { '1': null }, 'sender-key': { 'g::a::0': randomBytes(10) } })).rejects.toThrow(/disk I\/O error/);
    expect(await auth.state.keys.get('session', ['a.0', 'b.0'])).toEqual({});
    expect(Object.keys(await auth.state.keys.get('pre-key', ['1']))).toEqual(['1']);
  });

  it('wipe removes credentials, keys and the id key; a fresh link starts from nothing', async () => {
    const { store, db } = fileStore();
    const auth = await loadAuthState(storeRows(store), baileysCodec, false);
    auth.state.creds.me = { id: `${PHONE}@s.whatsapp.net` };
    auth.state.creds.account = { details: randomBytes(8) };
    await auth.saveCreds();
    await auth.state.keys.set({ session: { 'a.0': randomBytes(10) } });
    const fresh = await loadAuthState(storeRows(store), baileysCodec, true);
    expect(fresh.linked()).toBe(false);
    expect(fresh.state.creds.noiseKey.private).not.toEqual(auth.state.creds.noiseKey.private);
    expect((db.prepare('SELECT COUNT(*) AS n FROM whatsapp_auth').get() as { n: number }).n).toBe(0);
    expect(store.readCreds()).toBeNull();
    expect(store.linkedAs()).toBeNull();
    expect(await fresh.state.keys.get('session', ['a.0'])).toEqual({});
  });

  it('keys.clear keeps the credentials', async () => {
    const { store } = fileStore();
    const auth = await loadAuthState(storeRows(store), baileysCodec, false);
    await auth.saveCreds();
    await auth.state.keys.set({ session: { 'a.0': randomBytes(10) } });
    await auth.state.keys.clear!();
    expect(await auth.state.keys.get('session', ['a.0'])).toEqual({});
    expect(store.readCreds()).not.toBeNull();
  });

  it('a pairing-code attempt the phone never confirmed is not a link', () => {
    const { store } = fileStore();
    const creds = initAuthCreds();
    creds.me = { id: `${PHONE}@s.whatsapp.net`, name: '~' };
    store.writeJson([{ category: 'creds', id: 'creds', json: toAuthJson(creds) }]);
    expect(store.linkedAs()).toBeNull();
  });

  it('speaks the same JSON as Baileys BufferJSON, both ways', () => {
    const creds = initAuthCreds();
    const value = { creds, bytes: new Uint8Array([0, 1, 254, 255]), nested: { buffer: Buffer.from('vigil') } };
    expect(fromAuthJson(JSON.stringify(value, BufferJSON.replacer))).toEqual(JSON.parse(JSON.stringify(value, BufferJSON.replacer), BufferJSON.reviver));
    expect(JSON.parse(toAuthJson(value), BufferJSON.reviver)).toEqual(fromAuthJson(toAuthJson(value)));
    expect(Buffer.from((fromAuthJson(toAuthJson(value)) as typeof value).bytes)).toEqual(Buffer.from([0, 1, 254, 255]));
  });
});
