// Entry of the inference worker process (bundled to out/main/inference-worker.js). Runs in a
// forked Node process under the headless host and in an Electron utilityProcess under the
// desktop host: it only needs a message port, found at run time, never imported.
import type { FromWorker, ToWorker } from './inference-worker-protocol';
import { DetectError } from './detect-error';
import { Detector } from './detector';

interface Port {
  send(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

function parentPort(): Port {
  // Electron's utilityProcess gives process.parentPort; Node's fork gives process.send.
  const electronPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (event: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) return { send: (m) => electronPort.postMessage(m), listen: (h) => electronPort.on('message', (event) => h(event.data as ToWorker)) };
  if (process.send) {
    // Without a parent there is nobody to serve: leave rather than linger as an orphan.
    process.on('disconnect', () => process.exit(0));
    return { send: (m) => process.send!(m), listen: (h) => process.on('message', (m) => h(m as ToWorker)) };
  }
  throw new Error('the inference worker must be started by the Vigil engine');
}

const port = parentPort();
const log = (line: string) => console.error(`[inference ${process.env.VIGIL_WORKER_NAME ?? process.pid}] ${line}`);
let detector: Detector | null = null;
// Batches are handled one at a time, in order: the engine sends the next when this one is answered.
let work: Promise<void> = Promise.resolve();

port.listen((message) => {
  work = work.then(() => handle(message)).catch((error: Error) => log(`unexpected: ${error.stack ?? error.message}`));
});

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
