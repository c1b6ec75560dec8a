// Worker processes on the desktop host run as Electron utility processes: Chromium's own
// process model (sandboxed service, crash reporting, Task Manager entry) rather than a bare
// Node fork. The engine sees the same WorkerChannel either way.
import { utilityProcess } from 'electron';
import type { WorkerChannel, WorkerLauncher } from '../engine/inference/worker-host';

export const utilityLauncher: WorkerLauncher = (script, name): WorkerChannel => {
  const child = utilityProcess.fork(script, [], { serviceName: `Vigil ${name}`, stdio: 'inherit', env: { ...process.env, VIGIL_WORKER_NAME: name } });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    kill: () => void child.kill(),
  };
};
