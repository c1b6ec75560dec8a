// The worker's line to the engine: Electron's utilityProcess gives process.parentPort,
// Node's fork gives process.send. Found at run time, never imported.
import type { FromWorker, ToWorker } from './protocol';

export interface WorkerPort {
  send(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

export function parentPort(): WorkerPort {
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (event: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) return { send: (m) => electronPort.postMessage(m), listen: (h) => electronPort.on('message', (event) => h(event.data as ToWorker)) };
  if (process.send) {
    // Without a parent there is nobody to serve: leave rather than linger as an orphan.
    process.on('disconnect', () => process.exit(0));
    return { send: (m) => process.send!(m), listen: (h) => process.on('message', (m) => h(m as ToWorker)) };
  }
  throw new Error('the WhatsApp worker must be started by the Vigil engine');
}
