// A session on a real (in-memory) SQLite auth store with fake sockets and a fake clock.
import { randomBytes } from 'node:crypto';
import { initAuthCreds } from '@whiskeysockets/baileys';
import { loadAuthState, storeRows } from '../../../src/main/engine/alerts/whatsapp/auth-state';
import { toAuthJson } from '../../../src/main/engine/alerts/whatsapp/auth-json';
import { WhatsAppAuthStore } from '../../../src/main/engine/alerts/whatsapp/auth-store';
import { baileysCodec } from '../../../src/main/engine/alerts/whatsapp/baileys-socket';
import { WhatsAppSession } from '../../../src/main/engine/alerts/whatsapp/session';
import type { SessionConfig, SessionEvent, SessionStatus } from '../../../src/main/engine/alerts/whatsapp/session-types';
import { SecretBox } from '../../../src/main/engine/secrets/secret-box';
import { openDatabase } from '../../../src/main/engine/store/database';
import { FakeClock, settle } from './fake-clock';
import { FakeSocket } from './fake-socket';

export const SITE_JID = '4915112345678:7@s.whatsapp.net';

export interface Harness {
  session: WhatsAppSession;
  clock: FakeClock;
  store: WhatsAppAuthStore;
  sockets: FakeSocket[];
  events: SessionEvent[];
  statuses(): SessionStatus[];
  latest(): FakeSocket;
  wipes: number;
}

/** A store holding the credentials of a device the phone has accepted. */
export function linkedStore(): WhatsAppAuthStore {
  const store = new WhatsAppAuthStore(openDatabase(':memory:'), new SecretBox(randomBytes(32)));
  const creds = initAuthCreds();
  creds.me = { id: SITE_JID, name: 'Site phone' };
  creds.account = { details: new Uint8Array([1, 2, 3]), accountSignature: new Uint8Array([4]) };
  store.writeJson([{ category: 'creds', id: 'creds', json: toAuthJson(creds) }]);
  return store;
}

export function emptyStore(): WhatsAppAuthStore {
  return new WhatsAppAuthStore(openDatabase(':memory:'), new SecretBox(randomBytes(32)));
}

export function harness(store: WhatsAppAuthStore, config: Partial<SessionConfig> = {}, readImage?: (path: string) => Promise<Buffer | null>): Harness {
  const clock = new FakeClock();
  const sockets: FakeSocket[] = [];
  const events: SessionEvent[] = [];
  const rows = storeRows(store);
  const result: Harness = {
    clock,
    store,
    sockets,
    events,
    wipes: 0,
    statuses: () => events.filter((event): event is Extract<SessionEvent, { type: 'status' }> => event.type === 'status').map((event) => event.status),
    latest: () => sockets[sockets.length - 1]!,
    session: new WhatsAppSession({
      openSocket: (auth) => {
        const socket = new FakeSocket(auth, () => clock.now());
        sockets.push(socket);
        return socket;
      },
      loadAuth: (fresh) => loadAuthState(rows, baileysCodec, fresh),
      wipeAuth: async () => {
        result.wipes++;
        await rows.wipe();
      },
      emit: (event) => events.push(event),
      clock,
      // No jitter: every delay is the policy's exact value.
      random: () => 0.5,
      readImage,
      config: { spacing: { gapMs: 3000, jitterMs: 1000 }, ackWindowMs: 500, backoff: { baseMs: 2000, maxMs: 60_000, jitter: 0.3 }, ...config },
    }),
  };
  return result;
}

/** A linked session whose first socket is open. */
export async function connected(config: Partial<SessionConfig> = {}): Promise<Harness> {
  const h = harness(linkedStore(), config);
  await h.session.connect();
  await settle();
  h.latest().open();
  await settle();
  return h;
}
