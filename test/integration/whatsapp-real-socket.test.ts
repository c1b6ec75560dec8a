// A real Baileys socket (makeWASocket, its WebSocket and noise handshake) pointed at local
// servers that are not WhatsApp: a closed port, a server that accepts and hangs up, an HTTP
// server answering garbage, and a WebSocket server answering garbage frames. Each must end in
// a clear "connecting, retrying with backoff" state, without crashing the process or leaving
// an unhandled rejection. Nothing here leaves 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { storeRows } from '../../src/main/engine/alerts/whatsapp/auth-state';
import { loadAuthState } from '../../src/main/engine/alerts/whatsapp/auth-state';
import { baileysLogger } from '../../src/main/engine/alerts/whatsapp/baileys-log';
import { baileysCodec, baileysSocketFactory } from '../../src/main/engine/alerts/whatsapp/baileys-socket';
import { WhatsAppSession } from '../../src/main/engine/alerts/whatsapp/session';
import type { SessionEvent, SessionStatus } from '../../src/main/engine/alerts/whatsapp/session-types';
import type { WhatsAppAuthStore } from '../../src/main/engine/alerts/whatsapp/auth-store';
import { emptyStore, linkedStore } from '../unit/whatsapp/session-harness';
import { until } from '../support/test-engine';

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: TcpServer | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function realSession(store: WhatsAppAuthStore, url: string) {
  const events: SessionEvent[] = [];
  const logs: string[] = [];
  let sockets = 0;
  const factory = baileysSocketFactory({ logger: baileysLogger((line) => logs.push(line), 'warn'), waWebSocketUrl: url, connectTimeoutMs: 3000 });
  const rows = storeRows(store);
  const session = new WhatsAppSession({
    openSocket: (auth) => {
      sockets++;
      return factory(auth);
    },
    loadAuth: (fresh) => loadAuthState(rows, baileysCodec, fresh),
    wipeAuth: () => rows.wipe(),
    emit: (event) => {
      events.push(event);
      if (event.type === 'log') logs.push(event.line);
    },
    config: { backoff: { baseMs: 300, maxMs: 1200, jitter: 0.2 }, linkTimeoutMs: 60_000 },
  });
  const statuses = () => events.filter((e): e is Extract<SessionEvent, { type: 'status' }> => e.type === 'status').map((e) => e.status);
  return { session, logs, statuses, sockets: () => sockets };
}

/** Connects, waits for two failed attempts with backoff, stops, and checks it stays stopped. */
async function expectBackoffThenStop(run: ReturnType<typeof realSession>): Promise<SessionStatus> {
  await until('three connection attempts', () => run.sockets() >= 3, 20_000);
  const status = run.session.status();
  expect(status.state).toBe('connecting');
  expect(status.reason).toBe('WHATSAPP_DISCONNECTED');
  expect(status.message).toMatch(/Next try in \d+ s/);
  expect(run.statuses().some((s) => s.state === 'ready')).toBe(false);
  await run.session.stop();
  const attempts = run.sockets();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(run.sockets()).toBe(attempts);
  expect(rejections).toEqual([]);
  return status;
}

describe('a real Baileys socket against servers that are not WhatsApp', () => {
  it('a closed port: connection refused, retried with backoff, stops cleanly', async () => {
    const run = realSession(linkedStore(), `ws://127.0.0.1:${await closedPort()}/ws/chat`);
    await run.session.connect();
    await expectBackoffThenStop(run);
    expect(run.logs.join('\n')).toMatch(/connection closed \(408: WebSocket Error \(connect ECONNREFUSED/);
  }, 60_000);

  it('a server that accepts the connection and hangs up at once', async () => {
    const port = await listen(createTcpServer((socket) => socket.destroy()));
    const run = realSession(linkedStore(), `ws://127.0.0.1:${port}/ws/chat`);
    await run.session.connect();
    await expectBackoffThenStop(run);
  }, 60_000);

  it('an HTTP server that answers garbage instead of a WebSocket upgrade', async () => {
    const port = await listen(createHttpServer((_req, res) => res.end('<html>not WhatsApp</html>')));
    const run = realSession(linkedStore(), `ws://127.0.0.1:${port}/ws/chat`);
    await run.session.connect();
    await expectBackoffThenStop(run);
  }, 60_000);

  it('a WebSocket server that answers the handshake with random frames, while linking by QR', async () => {
    const http = createHttpServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
      ws.on('message', () => ws.send(randomBytes(64)));
      ws.send(randomBytes(200));
    });
    closers.push(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    });
    const port = await listen(http);
    const store = emptyStore();
    const run = realSession(store, `ws://127.0.0.1:${port}/ws/chat`);
    await run.session.link({ method: 'qr' });
    await expectBackoffThenStop(run);
    expect(run.statuses().some((s) => s.qr)).toBe(false);
    expect(store.linkedAs()).toBeNull();
  }, 60_000);
});
