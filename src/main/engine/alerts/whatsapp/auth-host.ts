// The engine's answers to the worker's auth requests: the store does the SQLite work and
// the sealing, in the engine's process, with the engine's one connection and key.
import type { WhatsAppAuthStore } from './auth-store';
import type { AuthRequest } from './protocol';

export function answerAuth(store: WhatsAppAuthStore, request: AuthRequest): unknown {
  switch (request.op) {
    case 'read-creds':
      return store.readCreds();
    case 'read':
      return Object.fromEntries(store.readJson(request.category, request.ids));
    case 'write':
      store.writeJson(request.rows);
      return null;
    case 'wipe':
      store.wipe();
      return null;
    case 'wipe-keys':
      store.wipeKeys();
      return null;
  }
}
