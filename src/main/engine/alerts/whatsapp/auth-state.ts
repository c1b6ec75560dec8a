// Baileys' AuthenticationState over the engine's store: what makeWASocket's `auth` takes
// instead of useMultiFileAuthState's folder. The rows are reached through AuthRows (the
// worker asks the engine over IPC; tests use the store directly), as JSON text; Baileys
// values (fresh credentials, proto classes) come in through the codec, so this file loads
// without Baileys.
import type { AuthenticationCreds, AuthenticationState, SignalDataTypeMap, SignalKeyStore } from '@whiskeysockets/baileys';
import { fromAuthJson, toAuthJson } from './auth-json';
import { CREDS, type AuthWrite, type WhatsAppAuthStore } from './auth-store';

export interface AuthRows {
  readCreds(): Promise<string | null>;
  read(category: string, ids: string[]): Promise<Record<string, string>>;
  write(rows: AuthWrite[]): Promise<void>;
  wipe(): Promise<void>;
  wipeKeys(): Promise<void>;
}

export interface AuthStateCodec {
  /** Baileys' initAuthCreds: new identity keys for a device about to link. */
  initCreds(): AuthenticationCreds;
  /** Plain stored value -> what Baileys expects (app-state keys are proto objects). */
  revive(category: keyof SignalDataTypeMap, value: unknown): unknown;
}

export interface LinkAuth {
  state: AuthenticationState;
  /** Persists the credentials object Baileys mutates in place (after each creds.update). */
  saveCreds(): Promise<void>;
  /** True when these credentials belong to a device the phone has accepted. */
  linked(): boolean;
}

/** The stored link, or (fresh: true, or nothing stored) new credentials replacing it. */
export async function loadAuthState(rows: AuthRows, codec: AuthStateCodec, fresh: boolean): Promise<LinkAuth> {
  if (fresh) await rows.wipe();
  const stored = fresh ? null : await rows.readCreds();
  const creds = stored ? (fromAuthJson(stored) as AuthenticationCreds) : codec.initCreds();
  const keys: SignalKeyStore = {
    get: async (type, ids) => {
      const found = await rows.read(type, ids);
      const values: Record<string, unknown> = {};
      for (const [id, json] of Object.entries(found)) values[id] = codec.revive(type, fromAuthJson(json));
      return values as never;
    },
    set: async (data) => {
      const writes: AuthWrite[] = [];
      for (const [category, values] of Object.entries(data)) {
        for (const [id, value] of Object.entries(values ?? {})) writes.push({ category, id, json: value === null || value === undefined ? null : toAuthJson(value) });
      }
      // One message, one SQLite transaction: Baileys' key transaction lands whole or not at all.
      if (writes.length) await rows.write(writes);
    },
    clear: () => rows.wipeKeys(),
  };
  return {
    state: { creds, keys },
    saveCreds: () => rows.write([{ category: CREDS, id: CREDS, json: toAuthJson(creds) }]),
    linked: () => !!creds.me?.id && !!creds.account,
  };
}

/** AuthRows straight on the store, in the engine's process (it answers the worker with these). */
export function storeRows(store: WhatsAppAuthStore): AuthRows {
  return {
    readCreds: async () => store.readCreds(),
    read: async (category, ids) => Object.fromEntries(store.readJson(category, ids)),
    write: async (rows) => store.writeJson(rows),
    wipe: async () => store.wipe(),
    wipeKeys: async () => store.wipeKeys(),
  };
}
