// The real socket: Baileys' makeWASocket with Vigil's auth state, bounded caches and a
// quiet logger. Only the worker process loads this file, and with it Baileys.
import { Browsers, initAuthCreds, makeCacheableSignalKeyStore, makeWASocket, proto, type GroupMetadata, type SignalKeyStore, type WAVersion } from '@whiskeysockets/baileys';
import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger';
import type { AuthStateCodec } from './auth-state';
import { BoundedCache } from './bounded-cache';
import type { SocketFactory, WaSocket } from './socket-port';

export const baileysCodec: AuthStateCodec = {
  initCreds: initAuthCreds,
  revive: (category, value) => (category === 'app-state-sync-key' && value ? proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>) : value),
};

export interface BaileysSocketOptions {
  logger: ILogger;
  /** WhatsApp's own address when absent; the tests point it at 127.0.0.1. */
  waWebSocketUrl?: string;
  /** The WhatsApp Web version Baileys announces; its built-in one when absent. */
  version?: WAVersion;
  connectTimeoutMs?: number;
}

const MINUTE = 60_000;

export function baileysSocketFactory(options: BaileysSocketOptions): SocketFactory {
  // These outlive each socket: a recipient's phone may ask for a message again after a reconnect.
  const sent = new BoundedCache<proto.IMessage>({ maxEntries: 300, ttlMs: 60 * MINUTE });
  const groups = new BoundedCache<GroupMetadata>({ maxEntries: 100, ttlMs: 5 * MINUTE });
  const caches = {
    msgRetryCounterCache: new BoundedCache({ maxEntries: 1000, ttlMs: 60 * MINUTE }),
    userDevicesCache: new BoundedCache({ maxEntries: 1000, ttlMs: 5 * MINUTE }),
    callOfferCache: new BoundedCache({ maxEntries: 50, ttlMs: 5 * MINUTE }),
    placeholderResendCache: new BoundedCache({ maxEntries: 500, ttlMs: 60 * MINUTE }),
  };
  // One key cache per auth state: after a wipe, a new identity must never see the old one's keys.
  const keyStores = new WeakMap<SignalKeyStore, SignalKeyStore>();
  const cachedKeys = (keys: SignalKeyStore) => {
    let store = keyStores.get(keys);
    if (!store) keyStores.set(keys, (store = makeCacheableSignalKeyStore(keys, options.logger, new BoundedCache({ maxEntries: 5000, ttlMs: 5 * MINUTE }))));
    return store;
  };

  return (auth) => {
    const socket = makeWASocket({
      auth: { creds: auth.creds, keys: cachedKeys(auth.keys) },
      logger: options.logger,
      // Shown on the phone under Linked devices as "Vigil (<OS>)".
      browser: Browsers.appropriate('Vigil'),
      ...(options.waWebSocketUrl ? { waWebSocketUrl: options.waWebSocketUrl } : {}),
      ...(options.version ? { version: options.version } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      // The phone keeps its notifications: Vigil is not a person reading chats.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // Status updates, broadcasts and channels are of no use to an alarm sender: not even decrypted.
      shouldIgnoreJid: (jid) => jid.endsWith('@broadcast') || jid.endsWith('@newsletter'),
      getMessage: async (key) => (key.id ? sent.get(key.id) : undefined),
      cachedGroupMetadata: async (jid) => groups.get(jid),
      ...caches,
    });
    const port: WaSocket = {
      ev: socket.ev,
      get user() {
        return socket.user;
      },
      end: (error) => socket.end(error),
      logout: (msg) => socket.logout(msg),
      requestPairingCode: (phone) => socket.requestPairingCode(phone),
      onWhatsApp: (...numbers) => socket.onWhatsApp(...numbers),
      sendMessage: async (jid, content, opts) => {
        const message = await socket.sendMessage(jid, content, opts);
        if (message?.key.id && message.message) sent.set(message.key.id, message.message);
        return message;
      },
      groupMetadata: async (jid) => {
        const metadata = await socket.groupMetadata(jid);
        groups.set(jid, metadata);
        return metadata;
      },
    };
    return port;
  };
}
