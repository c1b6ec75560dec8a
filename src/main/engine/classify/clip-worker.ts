// Entry of the clip worker process (bundled to out/main/clip-worker.js): the clip classifier's
// onnxruntime session lives here, never on the engine's main thread, and a native crash in
// it costs only this process. Started like the inference workers (Node's fork under the
// headless host, Electron's utilityProcess under the desktop host).
import { DetectError } from '../inference/detect-error';
import { ClipModel } from './clip-model';
import type { FromClipWorker, ToClipWorker } from './clip-worker-protocol';

interface Port {
  send(message: FromClipWorker): void;
  listen(handler: (message: ToClipWorker) => void): void;
}

function parentPort(): Port {
  // Electron's utilityProcess gives process.parentPort; Node's fork gives process.send.
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (event: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) return { send: (m) => electronPort.postMessage(m), listen: (h) => electronPort.on('message', (event) => h(event.data as ToClipWorker)) };
  if (process.send) {
    // Without a parent there is nobody to serve: leave rather than linger as an orphan.
    process.on('disconnect', () => process.exit(0));
    return { send: (m) => process.send!(m), listen: (h) => process.on('message', (m) => h(m as ToClipWorker)) };
  }
  throw new Error('the clip worker must be started by the Vigil engine');
}

const port = parentPort();
const log = (line: string) => console.error(`[clips ${process.env.VIGIL_WORKER_NAME ?? process.pid}] ${line}`);
let model: ClipModel | null = null;
// One message at a time, in order: a clip is scored before the next is looked at.
let work: Promise<void> = Promise.resolve();

port.listen((message) => {
  work = work.then(() => handle(message)).catch((error: Error) => log(`unexpected: ${error.stack ?? error.message}`));
});

async function handle(message: ToClipWorker): Promise<void> {
  switch (message.type) {
    case 'load':
      try {
        model = await ClipModel.load({ entry: message.entry, file: message.file, providers: message.providers, threads: message.threads, log });
        port.send({ type: 'ready', provider: model.provider, fallbacks: [...model.fallbacks] });
      } catch (error) {
        port.send({ type: 'load-failed', code: error instanceof DetectError ? error.code : 'CLIP_MODEL_CORRUPT', message: (error as Error).message });
      }
      return;
    case 'classify': {
      if (!model) return port.send({ type: 'clip-failed', clip: message.clip, code: null, message: 'no clip model loaded' });
      const started = performance.now();
      try {
        const scores = await model.classify(message.frames);
        port.send({ type: 'result', clip: message.clip, scores, inferMs: performance.now() - started });
      } catch (error) {
        port.send({ type: 'clip-failed', clip: message.clip, code: error instanceof DetectError ? error.code : null, message: (error as Error).message });
      }
      return;
    }
    case 'crash':
      process.kill(process.pid, 'SIGKILL');
      return;
  }
}
