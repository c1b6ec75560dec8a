// Builds the WhatsApp channel for the engine: the store on the engine's database and key,
// the worker script, and settings from the environment. Nothing starts here: the channel
// starts a worker only when a link is stored or requested.
import { join } from 'node:path';
import type { SecretBox } from '../../secrets/secret-box';
import type { Db } from '../../store/database';
import type { WorkerLauncher } from '../../inference/worker-host';
import { workerScript } from '../../workers/worker-script';
import { WhatsAppAuthStore } from './auth-store';
import type { WorkerSettings } from './protocol';
import { WhatsAppChannel } from './whatsapp-channel';

export const WHATSAPP_WORKER_BUNDLE = 'whatsapp-worker.js';

/** The worker's script: built beside the engine bundle, or compiled from sources (tests). */
export function whatsappWorkerScript(): string {
  return workerScript(__dirname, WHATSAPP_WORKER_BUNDLE, join(__dirname, 'whatsapp-worker.ts'));
}

export interface WhatsAppSetupOptions {
  db: Db;
  box: SecretBox;
  launcher: WorkerLauncher;
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export function createWhatsAppChannel(options: WhatsAppSetupOptions): WhatsAppChannel {
  return new WhatsAppChannel({
    launcher: options.launcher,
    // Resolved at the first launch: compiling from sources costs a second, and most engines never link.
    script: whatsappWorkerScript,
    store: new WhatsAppAuthStore(options.db, options.box),
    log: options.log,
    settings: whatsappSettingsFromEnv(options.env, options.log),
  });
}

/**
 * VIGIL_WHATSAPP_WS_URL: another WhatsApp server address (ws:// or wss://; the tests use a
 * local one). VIGIL_WHATSAPP_VERSION: the WhatsApp Web version to announce, `2,3000,123`,
 * when WhatsApp refuses the built-in one (405) and no Vigil update is out yet.
 * VIGIL_WHATSAPP_SEND_GAP_MS: the pause between sends (default 4000, plus up to 2000 jitter).
 */
export function whatsappSettingsFromEnv(env: NodeJS.ProcessEnv, log: (line: string) => void): Partial<WorkerSettings> {
  const settings: Partial<WorkerSettings> = {};
  const url = env.VIGIL_WHATSAPP_WS_URL?.trim();
  if (url) {
    if (/^wss?:\/\/[^\s]+$/.test(url)) settings.waWebSocketUrl = url;
    else log(`VIGIL_WHATSAPP_WS_URL ignored: not a ws:// or wss:// address`);
  }
  const version = env.VIGIL_WHATSAPP_VERSION?.trim();
  if (version) {
    const parts = version.split(/[.,]/).map(Number);
    if (parts.length === 3 && parts.every((part) => Number.isInteger(part) && part >= 0)) settings.version = parts as [number, number, number];
    else log(`VIGIL_WHATSAPP_VERSION ignored: expected three numbers like 2,3000,1027934701`);
  }
  const gap = Number(env.VIGIL_WHATSAPP_SEND_GAP_MS);
  if (env.VIGIL_WHATSAPP_SEND_GAP_MS && Number.isFinite(gap) && gap >= 0) settings.session = { spacing: { gapMs: gap, jitterMs: Math.round(gap / 2) } };
  return settings;
}
