// What to do when WhatsApp closes the connection, by Baileys' disconnect reason (the Boom
// status code). Pure, so every row of the table in docs/whatsapp.md has a test.
import type { AlertReason } from '../../../../shared/reasons';

export type DisconnectAction =
  /** 515: WhatsApp asks for a fresh connection (after linking, and now and then): at once. */
  | { kind: 'reconnect-now' }
  /** 401, 403: the device was removed or the number blocked; the stored link is useless. */
  | { kind: 'logged-out'; reason: AlertReason }
  /** 440, 405: reconnecting cannot help and looping would make it worse. */
  | { kind: 'stop'; reason: AlertReason }
  /** 408, 428, 500, 503 and anything unknown: the network or WhatsApp; retry with backoff. */
  | { kind: 'backoff'; reason: AlertReason };

export const DISCONNECT = {
  loggedOut: 401,
  forbidden: 403,
  staleVersion: 405,
  timedOut: 408,
  connectionClosed: 428,
  connectionReplaced: 440,
  badSession: 500,
  unavailable: 503,
  restartRequired: 515,
} as const;

export function disconnectAction(statusCode: number | undefined): DisconnectAction {
  switch (statusCode) {
    case DISCONNECT.restartRequired:
      return { kind: 'reconnect-now' };
    case DISCONNECT.loggedOut:
    case DISCONNECT.forbidden:
      return { kind: 'logged-out', reason: 'WHATSAPP_LOGGED_OUT' };
    case DISCONNECT.connectionReplaced:
      // Two clients on one link kick each other out forever if both reconnect: stop here.
      return { kind: 'stop', reason: 'WHATSAPP_CONNECTION_REPLACED' };
    case DISCONNECT.staleVersion:
      // WhatsApp refuses this client version; every retry is refused the same way.
      return { kind: 'stop', reason: 'WHATSAPP_STALE_VERSION' };
    default:
      return { kind: 'backoff', reason: 'WHATSAPP_DISCONNECTED' };
  }
}

/** The status code of a Boom error (Baileys' `lastDisconnect.error`), or of a plain error's `data`. */
export function statusCodeOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const output = (error as { output?: { statusCode?: unknown } }).output;
  if (typeof output?.statusCode === 'number') return output.statusCode;
  return undefined;
}

/** WhatsApp's own error code in a failed query (Baileys puts it in the Boom's `data`). */
export function whatsappErrorCode(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const data = (error as { data?: unknown }).data;
  return typeof data === 'number' && Number.isFinite(data) ? data : undefined;
}
