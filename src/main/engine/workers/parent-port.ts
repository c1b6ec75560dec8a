// A worker process's line to the engine. Electron's utilityProcess gives process.parentPort,
// Node's fork gives process.send: found at run time, never imported, so the same worker
// bundle runs under the desktop host and the headless host.

export interface WorkerPort<Out, In> {
  send(message: Out): void;
  listen(handler: (message: In) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** @param worker names the worker in the error for a script started by hand */
export function parentPort<Out, In>(worker: string): WorkerPort<Out, In> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) return { send: (m) => electronPort.postMessage(m), listen: (h) => electronPort.on('message', (event) => h(event.data as In)) };
  if (process.send) {
    // Without a parent there is nobody to serve: leave rather than linger as an orphan.
    process.on('disconnect', () => process.exit(0));
    return { send: (m) => process.send!(m), listen: (h) => process.on('message', (m) => h(m as In)) };
  }
  throw new Error(`the ${worker} worker must be started by the Vigil engine`);
}

/**
 * Handles the port's messages one at a time, in arrival order: each waits until the one
 * before it is answered. A handler that throws is logged; the next message is still served.
 */
export function serveInOrder<Out, In>(port: WorkerPort<Out, In>, handle: (message: In) => Promise<void>, log: (line: string) => void): void {
  let work: Promise<void> = Promise.resolve();
  port.listen((message) => {
    work = work.then(() => handle(message)).catch((error: Error) => log(`unexpected: ${error.stack ?? error.message}`));
  });
}
