// One way to run a worker process, whichever host runs the engine: Node's child_process.fork
// under the headless host, Electron's utilityProcess under the desktop host (passed in by
// the desktop host, since the engine never imports electron). Callers see only this shape.
import { fork } from 'node:child_process';

export interface WorkerChannel {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type WorkerLauncher = (script: string, name: string) => WorkerChannel;

/**
 * Node's fork with structured-clone IPC ('advanced' serialization), so frames travel as
 * typed arrays rather than JSON. stdout/stderr go to the engine's log.
 */
export const forkLauncher: WorkerLauncher = (script, name) => {
  const child = fork(script, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
    env: { ...process.env, VIGIL_WORKER_NAME: name },
  });
  // A message to a worker that has just died fails with EPIPE: the exit handler reports the
  // death, so the send error itself is only noise.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => {
      if (child.connected) child.send(message as never, (error) => void error);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => child.kill('SIGKILL'),
  };
};
