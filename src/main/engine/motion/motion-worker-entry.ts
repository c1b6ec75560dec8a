// The motion worker thread: one MotionGate per camera, so that 36 cameras' pixels are
// compared off the engine's main thread (which serves the API and the live streams).
// Bundled on its own to out/main/motion-worker.js; see motion-worker.ts.
import { parentPort } from 'node:worker_threads';
import { MotionGate } from './motion-gate';
import type { FromMotionWorker, ToMotionWorker } from './motion-worker-protocol';

const port = parentPort;
if (!port) throw new Error('motion-worker-entry runs as a worker thread (see MotionWorker)');

const gates = new Map<string, MotionGate>();

function reply(message: FromMotionWorker): void {
  port!.postMessage(message);
}

port.on('message', (message: ToMotionWorker) => {
  switch (message.type) {
    case 'configure': {
      try {
        const gate = gates.get(message.cameraId);
        if (gate) {
          gate.configure(message.options);
          gate.resize(message.size);
        } else {
          gates.set(message.cameraId, new MotionGate(message.size, message.options));
        }
      } catch (error) {
        gates.delete(message.cameraId);
        reply({ type: 'rejected', cameraId: message.cameraId, reason: (error as Error).message, frame: false });
      }
      return;
    }
    case 'remove':
      gates.delete(message.cameraId);
      return;
    case 'frame': {
      const gate = gates.get(message.cameraId);
      if (!gate) return reply({ type: 'rejected', cameraId: message.cameraId, reason: 'camera not configured', frame: true });
      try {
        // A camera whose detect stream changed resolution starts a new background.
        if (message.size) gate.resize(message.size);
        // postMessage copies the gate's reused result object, so sending it as is is safe.
        reply({ type: 'result', cameraId: message.cameraId, result: gate.update(message.frame, message.timeMs), timeMs: message.timeMs });
      } catch (error) {
        reply({ type: 'rejected', cameraId: message.cameraId, reason: (error as Error).message, frame: true });
      }
      return;
    }
    case 'crash':
      // Test hook: an uncaught error ends the thread the way a real bug would.
      throw new Error('motion worker crash requested');
  }
});
