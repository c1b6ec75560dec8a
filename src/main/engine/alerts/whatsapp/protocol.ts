// Messages between the engine and the WhatsApp worker process. Everything is plain data
// (strings, numbers, objects) so it crosses Node's fork IPC and Electron's utilityProcess
// port alike. The auth state stays in the engine's database: the worker asks for rows and
// the engine answers (see whatsapp-channel.ts for why), with values as sealed-at-rest JSON.
import type { SendOutcome } from '../channel';
import type { AuthWrite } from './auth-store';
import type { BaileysLogLevel } from './baileys-log';
import type { ReplyIn } from './inbound';
import type { CheckResult, SendRequest } from './messenger';
import type { LinkRequest, SessionConfig, SessionStatus } from './session-types';

export interface WorkerSettings {
  /** WhatsApp's own server when null; tests point it at 127.0.0.1. */
  waWebSocketUrl: string | null;
  /** The WhatsApp Web version to announce; Baileys' built-in one when null. */
  version: [number, number, number] | null;
  connectTimeoutMs: number | null;
  logLevel: BaileysLogLevel;
  session: Partial<SessionConfig>;
}

export type AuthRequest =
  | { op: 'read-creds' }
  | { op: 'read'; category: string; ids: string[] }
  | { op: 'write'; rows: AuthWrite[] }
  | { op: 'wipe' }
  | { op: 'wipe-keys' };

export type ToWorker =
  | { type: 'start'; settings: WorkerSettings }
  | { type: 'connect' }
  | { type: 'link'; request: LinkRequest }
  | { type: 'send'; id: number; request: SendRequest }
  | { type: 'cancel'; id: number }
  | { type: 'check'; id: number; address: string }
  | { type: 'unlink'; id: number }
  | { type: 'auth-result'; id: number; ok: true; value: unknown }
  | { type: 'auth-result'; id: number; ok: false; message: string }
  | { type: 'stop' }
  /** For tests: makes the worker die the way a native crash would. */
  | { type: 'crash' };

export type FromWorker =
  | { type: 'status'; status: SessionStatus }
  | { type: 'sent'; id: number; outcome: SendOutcome }
  | { type: 'checked'; id: number; result: CheckResult }
  | { type: 'unlinked'; id: number }
  | { type: 'delivered'; providerId: string; at: number }
  | { type: 'reply'; reply: ReplyIn }
  | { type: 'auth'; id: number; request: AuthRequest }
  | { type: 'log'; line: string }
  | { type: 'stopped' };
