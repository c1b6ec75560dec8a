// Migration 7: the WhatsApp link (Baileys' auth state) as rows, one per credential or Signal
// key, instead of Baileys' folder of JSON files. Rows are written in transactions (a batch of
// keys lands whole or not at all) and every value is sealed with the engine's key
// (auth-store.ts), so a copied database or backup does not hand out the WhatsApp account.
export const WHATSAPP_SCHEMA = `
  CREATE TABLE whatsapp_auth (
    -- 'creds', or a Signal key type ('pre-key', 'session', 'sender-key', 'app-state-sync-key', ...).
    category TEXT NOT NULL,
    -- HMAC of Baileys' key id: ids name contacts and groups (phone numbers), so not even they
    -- are stored in plain text. Lookups are always by exact id, which the HMAC keeps possible.
    key_id TEXT NOT NULL,
    -- The value as JSON, sealed with AES-256-GCM (secrets/secret-box.ts).
    value_sealed TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (category, key_id)
  ) WITHOUT ROWID;
`;
