// Entry of the WhatsApp worker process (bundled with Baileys into out/main/whatsapp-worker.js;
// Baileys is ESM-only and the bundle is CJS, so it is bundled rather than import()ed, which
// also keeps it out of Electron's asar ESM loader). Runs as a Node fork under the headless
// host and as an Electron utilityProcess under the desktop host. Baileys, its WebSocket and
// its crypto live here, so a hang or crash in them never touches the engine or the video.
import { parentPort } from '../../workers/parent-port';
import { loadAuthState } from './auth-state';
import { baileysLogger } from './baileys-log';
import { baileysCodec, baileysSocketFactory } from './baileys-socket';
import type { FromWorker, ToWorker } from './protocol';
import { WhatsAppSession } from './session';
import { serveWorker } from './worker-serve';

const port = parentPort<FromWorker, ToWorker>('WhatsApp');

// Baileys starts background work (pre-key uploads, init queries) whose failures after a
// disconnect are expected: note them, never let them take the worker down.
process.on('unhandledRejection', (reason) => port.send({ type: 'log', line: `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}` }));

serveWorker({
  port,
  createSession: (settings, rows, log) =>
    new WhatsAppSession({
      openSocket: baileysSocketFactory({ logger: baileysLogger(log, settings.logLevel), waWebSocketUrl: settings.waWebSocketUrl ?? undefined, version: settings.version ?? undefined, connectTimeoutMs: settings.connectTimeoutMs ?? undefined }),
      loadAuth: (fresh) => loadAuthState(rows, baileysCodec, fresh),
      wipeAuth: () => rows.wipe(),
      emit: (event) => port.send(event),
      config: settings.session,
    }),
  exit: (code) => process.exit(code),
  crash: () => process.kill(process.pid, 'SIGKILL'),
});
