// The worker's side of the protocol: it relays requests to the session and answers, and
// reaches the engine's auth store through request/answer pairs. Separate from the process
// entry (whatsapp-worker.ts) so the tests can serve a session with a fake socket in-process.
import type { AuthRows } from './auth-state';
import type { WorkerPort } from '../../workers/parent-port';
import type { AuthRequest, FromWorker, ToWorker, WorkerSettings } from './protocol';
import type { WhatsAppSession } from './session';

export interface WorkerHost {
  port: WorkerPort<FromWorker, ToWorker>;
  createSession(settings: WorkerSettings, rows: AuthRows, log: (line: string) => void): WhatsAppSession;
  /** Leaves the process (the tests' in-process worker just notes it). */
  exit(code: number): void;
  /** For tests of crash handling: dies without cleanup. */
  crash(): void;
}

export function serveWorker(host: WorkerHost): void {
  const { port } = host;
  const log = (line: string) => port.send({ type: 'log', line });
  const failed = (error: unknown) => log(`unexpected: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  let session: WhatsAppSession | null = null;
  const sends = new Map<number, AbortController>();
  const asked = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextAsk = 1;

  /** The auth rows live in the engine's database; each request is answered in order. */
  const ask = (request: AuthRequest): Promise<unknown> => {
    const id = nextAsk++;
    return new Promise((resolve, reject) => {
      asked.set(id, { resolve, reject });
      port.send({ type: 'auth', id, request });
    });
  };
  const rows: AuthRows = {
    readCreds: () => ask({ op: 'read-creds' }) as Promise<string | null>,
    read: (category, ids) => ask({ op: 'read', category, ids }) as Promise<Record<string, string>>,
    write: async (writes) => void (await ask({ op: 'write', rows: writes })),
    wipe: async () => void (await ask({ op: 'wipe' })),
    wipeKeys: async () => void (await ask({ op: 'wipe-keys' })),
  };

  /** Closes the socket, lets the last credential writes reach the engine, then leaves. */
  const stop = async () => {
    await session?.stop().catch(failed);
    for (let waited = 0; asked.size > 0 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    port.send({ type: 'stopped' });
    setTimeout(() => host.exit(0), 50);
  };

  const handle = (message: ToWorker): void => {
    if (message.type === 'start') {
      session ??= host.createSession(message.settings, rows, log);
      return;
    }
    if (message.type === 'auth-result') {
      const waiting = asked.get(message.id);
      asked.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.message));
      return;
    }
    if (message.type === 'crash') return host.crash();
    if (!session) return log(`'${message.type}' before 'start' ignored`);
    const active = session;
    switch (message.type) {
      case 'connect':
        return void active.connect().catch(failed);
      case 'link':
        return void active.link(message.request).catch(failed);
      case 'send': {
        const abort = new AbortController();
        sends.set(message.id, abort);
        active
          .send(message.request, abort.signal)
          .catch((error: Error) => ({ ok: false as const, retry: true, reason: 'WHATSAPP_SEND_FAILED' as const, message: error.message }))
          .then((outcome) => port.send({ type: 'sent', id: message.id, outcome }))
          .finally(() => sends.delete(message.id));
        return;
      }
      case 'cancel':
        return sends.get(message.id)?.abort();
      case 'check':
        active.check(message.address).then(
          (result) => port.send({ type: 'checked', id: message.id, result }),
          (error: Error) => port.send({ type: 'checked', id: message.id, result: { ok: false, reason: 'WHATSAPP_DISCONNECTED', message: error.message } }),
        );
        return;
      case 'unlink':
        active
          .unlink()
          .catch(failed)
          .finally(() => port.send({ type: 'unlinked', id: message.id }));
        return;
      case 'stop':
        return void stop();
    }
  };

  port.listen((message) => {
    try {
      handle(message);
    } catch (error) {
      failed(error);
    }
  });
}
