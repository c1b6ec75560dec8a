// Entry of the clip worker process (bundled to out/main/clip-worker.js): the clip classifier's
// onnxruntime session lives here, never on the engine's main thread, and a native crash in
// it costs only this process. Started like the inference workers (Node's fork under the
// headless host, Electron's utilityProcess under the desktop host).
import { DetectError } from '../inference/detect-error';
import { ClipModel } from './clip-model';
import type { FromClipWorker, ToClipWorker } from './clip-worker-protocol';
import { parentPort, serveInOrder } from '../workers/parent-port';

const port = parentPort<FromClipWorker, ToClipWorker>('clip');
const log = (line: string) => console.error(`[clips ${process.env.VIGIL_WORKER_NAME ?? process.pid}] ${line}`);
let model: ClipModel | null = null;
// One message at a time, in order: a clip is scored before the next is looked at.
serveInOrder(port, handle, log);

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
