// The WhatsApp worker as a real process under Node (the headless host's fork launcher), run
// by the engine-side channel on a real SQLite store: it is started only when there is
// something to do, reports its state, survives a crash with a restart, and stops cleanly.
// Its WhatsApp server is a closed local port: nothing leaves 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAuthCreds } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../src/shared/alerts';
import type { AlertMessage, AlertRecipient } from '../../src/main/engine/alerts/channel';
import { toAuthJson } from '../../src/main/engine/alerts/whatsapp/auth-json';
import { WhatsAppAuthStore } from '../../src/main/engine/alerts/whatsapp/auth-store';
import { WhatsAppChannel } from '../../src/main/engine/alerts/whatsapp/whatsapp-channel';
import { whatsappWorkerScript } from '../../src/main/engine/alerts/whatsapp/whatsapp-setup';
import { forkLauncher, type WorkerChannel, type WorkerLauncher } from '../../src/main/engine/inference/worker-host';
import { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { openDatabase, type Db } from '../../src/main/engine/store/database';
import { until } from '../support/test-engine';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function setup(linked: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wa-worker-'));
  const db: Db = openDatabase(join(dir, 'vigil.db'));
  const store = new WhatsAppAuthStore(db, new SecretBox(randomBytes(32)));
  if (linked) {
    const creds = initAuthCreds();
    creds.me = { id: '4915112345678:7@s.whatsapp.net', name: 'Site phone' };
    creds.account = { details: randomBytes(40), accountSignature: randomBytes(64) };
    store.writeJson([{ category: 'creds', id: 'creds', json: toAuthJson(creds) }]);
  }
  const workers: WorkerChannel[] = [];
  const launcher: WorkerLauncher = (script, name) => {
    const worker = forkLauncher(script, name);
    workers.push(worker);
    return worker;
  };
  const logs: string[] = [];
  const statuses: ChannelStatus[] = [];
  const channel = new WhatsAppChannel({
    launcher,
    script: whatsappWorkerScript,
    store,
    log: (line) => logs.push(line),
    settings: { waWebSocketUrl: `ws://127.0.0.1:${await closedPort()}/ws/chat`, session: { backoff: { baseMs: 500, maxMs: 2000, jitter: 0.2 } } },
    restartBackoff: { baseMs: 300, maxMs: 1000, jitter: 0 },
    linkWaitMs: 15_000,
  });
  channel.on('status', (status) => statuses.push(status));
  cleanup.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  cleanup.push(() => channel.stop());
  return { channel, store, workers, logs, statuses, db };
}

const message: AlertMessage = {
  alertId: 'a1',
  idempotencyKey: 'a1:r1',
  incidentId: 'i1',
  kind: 'incident',
  severity: 'critical',
  title: 'CRITICAL · Gate 2',
  text: 'CRITICAL · Gate 2 · Person in zone Yard',
  snapshotPath: null,
  payload: {},
};
const recipient: AlertRecipient = { id: 'r1', channel: 'whatsapp', address: '4917612345678@s.whatsapp.net', name: 'Ana' };

describe('WhatsApp worker process', () => {
  it('is not started when nothing is linked', async () => {
    const { channel, workers } = await setup(false);
    await channel.start();
    expect(workers).toHaveLength(0);
    expect(channel.status()).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED' });
    expect(await channel.send(message, recipient, new AbortController().signal)).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_NOT_LINKED' });
    expect(await channel.checkAddress('+49 176 12345678')).toMatchObject({ ok: false, reason: 'WHATSAPP_NOT_LINKED' });
  });

  it('starts for a stored link, retries an unreachable WhatsApp with backoff, answers sends with retry, and stops cleanly', async () => {
    const { channel, workers, logs } = await setup(true);
    await channel.start();
    expect(workers).toHaveLength(1);
    await until('a failed connection attempt', () => channel.status().reason === 'WHATSAPP_DISCONNECTED', 30_000);
    expect(channel.status()).toMatchObject({ kind: 'whatsapp', state: 'connecting', linkedAs: '4915112345678' });
    const outcome = await channel.send(message, recipient, new AbortController().signal);
    expect(outcome).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_DISCONNECTED' });
    expect(await channel.checkAddress('+49 176 12345678')).toMatchObject({ ok: false, reason: 'WHATSAPP_DISCONNECTED' });
    await until('a second attempt', () => logs.filter((line) => line.includes('connection closed (408')).length >= 2, 30_000);
    const pid = workers[0]!.pid!;
    expect(alive(pid)).toBe(true);
    let exit: { code: number | null; signal: string | null } | null = null;
    workers[0]!.onExit((code, signal) => (exit = { code, signal }));
    await channel.stop();
    await until('the worker to exit', () => exit, 10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(alive(pid)).toBe(false);
  });

  it('a crashed worker is restarted with backoff and reports why', async () => {
    const { channel, workers, statuses } = await setup(true);
    await channel.start();
    await until('the first worker to run', () => channel.status().reason === 'WHATSAPP_DISCONNECTED', 30_000);
    process.kill(workers[0]!.pid!, 'SIGKILL');
    await until('the crash to be reported', () => statuses.some((s) => s.reason === 'WHATSAPP_WORKER_CRASHED'), 10_000);
    expect(await channel.send(message, recipient, new AbortController().signal)).toMatchObject({ ok: false, retry: true });
    await until('a second worker', () => workers.length === 2, 10_000);
    await until('the new worker to try again', () => channel.status().reason === 'WHATSAPP_DISCONNECTED', 30_000);
    expect(channel.status().linkedAs).toBe('4915112345678');
  });

  it('linking starts a worker, and unlinking stops it and wipes the link', async () => {
    const { channel, workers, store } = await setup(false);
    await channel.start();
    const status = await channel.link({ method: 'qr' });
    expect(workers).toHaveLength(1);
    // The closed port: the first attempt failed and is retried; no QR without WhatsApp.
    expect(status).toMatchObject({ state: 'connecting', reason: 'WHATSAPP_DISCONNECTED', qr: null, linkedAs: null });
    const pid = workers[0]!.pid!;
    const after = await channel.unlink();
    expect(after).toMatchObject({ state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED' });
    await until('the worker to exit', () => !alive(pid), 10_000);
    expect(store.readCreds()).toBeNull();
  });
});
