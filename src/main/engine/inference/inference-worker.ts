// Entry of the inference worker process (bundled to out/main/inference-worker.js). Runs in a
// forked Node process under the headless host and in an Electron utilityProcess under the
// desktop host: it only needs a message port, found at run time, never imported.
import type { FromWorker, ToWorker } from './inference-worker-protocol';
import { DetectError } from './detect-error';
import { Detector } from './detector';
import { parentPort, serveInOrder } from '../workers/parent-port';

const port = parentPort<FromWorker, ToWorker>('inference');
const log = (line: string) => console.error(`[inference ${process.env.VIGIL_WORKER_NAME ?? process.pid}] ${line}`);
let detector: Detector | null = null;
// Batches are handled one at a time, in order: the engine sends the next when this one is answered.
serveInOrder(port, handle, log);

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'load':
      try {
        detector = await Detector.load({ entry: message.entry, file: message.file, providers: message.providers, threads: message.threads, log });
        port.send({ type: 'ready', provider: detector.provider, fallbacks: [...detector.fallbacks], batchable: detector.maxBatch > 1, inputSize: message.entry.inputSize });
      } catch (error) {
        const code = error instanceof DetectError ? error.code : 'MODEL_CORRUPT';
        port.send({ type: 'load-failed', code, message: (error as Error).message });
      }
      return;
    case 'detect': {
      if (!detector) return port.send({ type: 'batch-failed', batch: message.batch, message: 'no model loaded' });
      const started = performance.now();
      try {
        const detections = await detector.detect(message.frames, { scoreThreshold: message.scoreThreshold, iouThreshold: message.iouThreshold });
        port.send({ type: 'result', batch: message.batch, detections, inferMs: performance.now() - started });
      } catch (error) {
        port.send({ type: 'batch-failed', batch: message.batch, message: (error as Error).message });
      }
      return;
    }
    case 'crash':
      // Stands in for a native crash inside onnxruntime: no cleanup, no goodbye.
      process.kill(process.pid, 'SIGKILL');
      return;
  }
}
