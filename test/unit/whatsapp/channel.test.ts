// The engine-side channel and the worker's protocol loop together, in one process: the
// launcher hands out an in-process "worker" (structured-clone messages, like the real IPC)
// serving a session whose sockets are fakes on Baileys' event buffer. Covers linking end to
// end (credentials stored through the engine's auth store), sends, receipts, replies, the
// worker stopping when there is nothing to do, and crashes.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../../src/shared/alerts';
import type { AlertMessage, AlertRecipient, InboundReply } from '../../../src/main/engine/alerts/channel';
import { loadAuthState } from '../../../src/main/engine/alerts/whatsapp/auth-state';
import type { WhatsAppAuthStore } from '../../../src/main/engine/alerts/whatsapp/auth-store';
import { baileysCodec } from '../../../src/main/engine/alerts/whatsapp/baileys-socket';
import { messageIdFor } from '../../../src/main/engine/alerts/whatsapp/outbound';
import type { FromWorker, ToWorker } from '../../../src/main/engine/alerts/whatsapp/protocol';
import { WhatsAppSession } from '../../../src/main/engine/alerts/whatsapp/session';
import { WhatsAppChannel } from '../../../src/main/engine/alerts/whatsapp/whatsapp-channel';
import { serveWorker } from '../../../src/main/engine/alerts/whatsapp/worker-serve';
import type { WorkerChannel } from '../../../src/main/engine/inference/worker-host';
import { until } from './fake-clock';
import { FakeSocket } from './fake-socket';
import { emptyStore, linkedStore } from './session-harness';

interface FakeWorker extends WorkerChannel {
  exitCode: number | null | undefined;
  crash(): void;
}

function world(store: WhatsAppAuthStore) {
  const sockets: FakeSocket[] = [];
  const workers: FakeWorker[] = [];
  const launcher = (): WorkerChannel => {
    const toEngine: ((message: unknown) => void)[] = [];
    const onExit: ((code: number | null, signal: string | null) => void)[] = [];
    let toWorker: ((message: ToWorker) => void) | null = null;
    let dead = false;
    const die = (code: number | null, signal: string | null) => {
      if (dead) return;
      dead = true;
      worker.exitCode = code;
      setImmediate(() => onExit.forEach((listener) => listener(code, signal)));
    };
    const worker: FakeWorker = {
      pid: 1000 + workers.length,
      exitCode: undefined,
      postMessage: (message) => !dead && setImmediate(() => !dead && toWorker?.(structuredClone(message) as ToWorker)),
      onMessage: (listener) => toEngine.push(listener),
      onExit: (listener) => onExit.push(listener),
      kill: () => die(null, 'SIGKILL'),
      crash: () => die(null, 'SIGKILL'),
    };
    serveWorker({
      port: {
        send: (message: FromWorker) => !dead && setImmediate(() => !dead && toEngine.forEach((listener) => listener(structuredClone(message)))),
        listen: (handler) => (toWorker = handler),
      },
      createSession: (settings, rows, log) =>
        new WhatsAppSession({
          openSocket: (auth) => {
            const socket = new FakeSocket(auth);
            sockets.push(socket);
            return socket;
          },
          loadAuth: (fresh) => loadAuthState(rows, baileysCodec, fresh),
          wipeAuth: () => rows.wipe(),
          emit: (event) => (event.type === 'log' ? log(event.line) : !dead && setImmediate(() => !dead && toEngine.forEach((listener) => listener(structuredClone(event))))),
          config: settings.session,
        }),
      exit: (code) => die(code, null),
      crash: () => die(null, 'SIGKILL'),
    });
    workers.push(worker);
    return worker;
  };
  const statuses: ChannelStatus[] = [];
  const delivered: string[] = [];
  const replies: InboundReply[] = [];
  const channel = new WhatsAppChannel({
    launcher,
    script: () => 'in-process',
    store,
    log: () => undefined,
    settings: { session: { spacing: { gapMs: 10, jitterMs: 0 }, ackWindowMs: 20, backoff: { baseMs: 50, maxMs: 200, jitter: 0 } } },
    restartBackoff: { baseMs: 50, maxMs: 50, jitter: 0 },
    linkWaitMs: 5000,
  });
  channel.on('status', (status) => statuses.push(status));
  channel.on('delivered', ({ providerId }) => delivered.push(providerId));
  channel.on('reply', (reply) => replies.push(reply));
  stops.push(() => channel.stop());
  return { channel, sockets, workers, statuses, delivered, replies, latest: () => sockets[sockets.length - 1]! };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const GUARD = '4917612345678@s.whatsapp.net';
const message: AlertMessage = { alertId: 'a1', idempotencyKey: 'a1:r1', incidentId: 'i1', kind: 'incident', severity: 'high', title: 'HIGH · Gate 2', text: 'HIGH · Gate 2 · Person in zone Yard', snapshotPath: null, payload: {} };
const recipient: AlertRecipient = { id: 'r1', channel: 'whatsapp', address: GUARD, name: 'Ana' };

describe('WhatsApp channel with its worker protocol', () => {
  it('links by QR end to end: the QR reaches link(), the accepted link is stored by the engine', async () => {
    const store = emptyStore();
    const w = world(store);
    await w.channel.start();
    expect(w.workers).toHaveLength(0);
    const linking = w.channel.link({ method: 'qr' });
    await until('a socket', () => w.sockets.length === 1, 5000);
    w.latest().qr('2@ref,noise,identity,adv,9');
    expect(await linking).toMatchObject({ kind: 'whatsapp', state: 'needs-link', qr: '2@ref,noise,identity,adv,9' });
    w.latest().pairSuccess('4917000000001:12@s.whatsapp.net');
    await until('the restart socket', () => w.sockets.length === 2, 5000);
    w.latest().open();
    await until('ready', () => w.channel.status().state === 'ready', 5000);
    expect(w.channel.status()).toMatchObject({ linkedAs: '4917000000001', qr: null, reason: null });
    await until('the credentials stored', () => store.linkedAs() === '4917000000001', 5000);
  });

  it('sends through the worker, and passes receipts and replies back', async () => {
    const w = world(linkedStore());
    await w.channel.start();
    await until('a socket', () => w.sockets.length === 1, 5000);
    w.latest().open();
    await until('ready', () => w.channel.status().state === 'ready', 5000);
    // The dispatcher passes one signal for the engine's lifetime: no listener may stay on it.
    const lifetime = new AbortController().signal;
    const outcome = await w.channel.send(message, recipient, lifetime);
    const id = messageIdFor('a1:r1', GUARD);
    expect(outcome).toEqual({ ok: true, delivered: false, providerId: id });
    expect(getEventListeners(lifetime, 'abort')).toHaveLength(0);
    expect(w.latest().sent[0]).toMatchObject({ jid: GUARD, content: { text: message.text } });
    w.latest().emit('messages.update', [{ key: { remoteJid: GUARD, fromMe: true, id }, update: { status: 3 } }]);
    w.latest().emit('messages.upsert', { type: 'notify', messages: [{ key: { remoteJid: GUARD, fromMe: false, id: 'IN' }, message: { extendedTextMessage: { text: 'ACK', contextInfo: { stanzaId: id } } } }] });
    await until('the receipt and the reply', () => w.delivered.length === 1 && w.replies.length === 1, 5000);
    expect(w.delivered).toEqual([id]);
    expect(w.replies[0]).toMatchObject({ channel: 'whatsapp', from: GUARD, text: 'ACK', quotedProviderId: id });
    w.latest().directory.set(GUARD, GUARD);
    expect(await w.channel.checkAddress('+49 176 12345678')).toEqual({ ok: true, address: GUARD });
    expect(await w.channel.checkAddress('0176 12345678')).toMatchObject({ ok: false, reason: 'WHATSAPP_NUMBER_INVALID' });
  });

  it('logged out by WhatsApp: the link is wiped and the worker stops', async () => {
    const store = linkedStore();
    const w = world(store);
    await w.channel.start();
    await until('a socket', () => w.sockets.length === 1, 5000);
    w.latest().open();
    await until('ready', () => w.channel.status().state === 'ready', 5000);
    w.latest().close(401, 'Intentional Logout');
    await until('needs-link', () => w.channel.status().state === 'needs-link', 5000);
    expect(w.channel.status()).toMatchObject({ reason: 'WHATSAPP_LOGGED_OUT', linkedAs: null });
    await until('the worker to leave', () => w.workers[0]!.exitCode === 0, 5000);
    expect(store.readCreds()).toBeNull();
    expect(await w.channel.send(message, recipient, new AbortController().signal)).toMatchObject({ ok: false, retry: false, reason: 'WHATSAPP_LOGGED_OUT' });
  });

  it('a worker crash answers sends in flight with retry, and the worker comes back', async () => {
    const w = world(linkedStore());
    await w.channel.start();
    await until('a socket', () => w.sockets.length === 1, 5000);
    w.latest().open();
    await until('ready', () => w.channel.status().state === 'ready', 5000);
    w.latest().onSend = () => new Promise(() => undefined); // WhatsApp never answers
    const inFlight = w.channel.send(message, recipient, new AbortController().signal);
    await until('the send to reach the socket', () => w.latest().sent.length === 1, 5000);
    w.workers[0]!.crash();
    expect(await inFlight).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_WORKER_CRASHED' });
    expect(w.statuses.some((s) => s.state === 'connecting' && s.reason === 'WHATSAPP_WORKER_CRASHED')).toBe(true);
    await until('a new worker and socket', () => w.workers.length === 2 && w.sockets.length === 2, 5000);
    w.latest().open();
    await until('ready again', () => w.channel.status().state === 'ready', 5000);
  });

  it('a send aborted while WhatsApp has not answered returns at once, to be retried', async () => {
    const w = world(linkedStore());
    await w.channel.start();
    await until('a socket', () => w.sockets.length === 1, 5000);
    w.latest().open();
    await until('ready', () => w.channel.status().state === 'ready', 5000);
    w.latest().onSend = () => new Promise(() => undefined);
    const abort = new AbortController();
    const sending = w.channel.send(message, recipient, abort.signal);
    await until('the send to reach the socket', () => w.latest().sent.length === 1, 5000);
    abort.abort();
    expect(await sending).toMatchObject({ ok: false, retry: true, reason: 'WHATSAPP_SEND_CANCELLED' });
  });
});
