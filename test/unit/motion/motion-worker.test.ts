// The motion worker as the engine uses it: a real worker thread, compiled from the sources
// by motionWorkerScript() with esbuild (there is no out/main/motion-worker.js beside them).
import { afterEach, describe, expect, it } from 'vitest';
import type { MotionOptions, MotionResult } from '../../../src/main/engine/motion/motion-gate';
import { MotionWorker, motionWorkerScript } from '../../../src/main/engine/motion/motion-worker';
import { SyntheticScene } from './synthetic-scene';

const W = 96;
const H = 54;
const OPTIONS: MotionOptions = { threshold: 25, minArea: 0.002, masks: [] };

const workers: MotionWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
});

function started(options: ConstructorParameters<typeof MotionWorker>[0] = {}): MotionWorker {
  const worker = new MotionWorker(options);
  workers.push(worker);
  worker.start();
  return worker;
}

function nextResults(worker: MotionWorker, count: number, timeoutMs = 10_000): Promise<{ cameraId: string; result: MotionResult; timeMs: number }[]> {
  return new Promise((resolve, reject) => {
    const got: { cameraId: string; result: MotionResult; timeMs: number }[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} results`)), timeoutMs);
    const listener = (cameraId: string, result: MotionResult, timeMs: number) => {
      got.push({ cameraId, result, timeMs });
      if (got.length < count) return;
      clearTimeout(timer);
      worker.off('result', listener);
      resolve(got);
    };
    worker.on('result', listener);
  });
}

function nextRejection(worker: MotionWorker): Promise<{ cameraId: string; reason: string }> {
  return new Promise((resolve) => worker.once('rejected', (cameraId, reason) => resolve({ cameraId, reason })));
}

/** Submits one frame at a time (as FFmpeg delivers them) and collects every result. */
async function feed(worker: MotionWorker, cameraId: string, frames: Uint8Array[], start = 0): Promise<MotionResult[]> {
  const results: MotionResult[] = [];
  for (const [i, frame] of frames.entries()) {
    const next = nextResults(worker, 1);
    expect(worker.submit(cameraId, frame, start + i * 200)).toBe(true);
    results.push((await next)[0]!.result);
  }
  return results;
}

describe('motionWorkerScript', () => {
  it('compiles the entry from the sources when no bundle lies beside them, once per process', () => {
    const script = motionWorkerScript();
    expect(script).toMatch(/vigil-workers[\\/]motion-worker-[0-9a-f]{16}\.cjs$/);
    expect(motionWorkerScript()).toBe(script);
  });
});

describe('MotionWorker', () => {
  it('runs a gate per camera in the worker thread and reports results with their camera and time', async () => {
    const worker = started();
    const scene = new SyntheticScene(W, H);
    worker.configure('lobby', { width: W, height: H }, OPTIONS);
    worker.configure('yard', { width: W, height: H }, OPTIONS);
    const still = await feed(worker, 'lobby', Array.from({ length: 10 }, () => scene.frame({ sigma: 4 })));
    expect(still.every((r) => !r.active)).toBe(true);
    const walking = await feed(worker, 'yard', [
      ...Array.from({ length: 5 }, () => scene.frame({ sigma: 4 })),
      ...Array.from({ length: 10 }, (_, i) => scene.frame({ sigma: 4, squares: [{ x: 10 + i * 3, y: 20, size: 10, level: 230 }] })),
    ]);
    expect(walking.slice(0, 5).every((r) => !r.active)).toBe(true);
    expect(walking.slice(6).every((r) => r.active && r.score > 0.01 && r.box !== null)).toBe(true);

    const both = nextResults(worker, 2);
    worker.submit('lobby', scene.frame(), 5000);
    worker.submit('yard', scene.frame(), 5001);
    expect((await both).map((r) => [r.cameraId, r.timeMs])).toEqual([
      ['lobby', 5000],
      ['yard', 5001],
    ]);
  });

  it('transfers a frame that owns its buffer and copies a view into a larger one', async () => {
    const worker = started();
    worker.configure('cam', { width: W, height: H }, OPTIONS);
    const owned = new Uint8Array(W * H);
    const done = nextResults(worker, 2);
    worker.submit('cam', owned, 0);
    // Moved, not copied: the engine's copy is gone.
    expect(owned.byteLength).toBe(0);
    // A frame cut out of a pipe chunk: moving the chunk would detach its neighbours.
    const chunk = Buffer.alloc(W * H * 2 + 16, 7);
    const view = chunk.subarray(16, 16 + W * H);
    worker.submit('cam', view, 200);
    expect(view.byteLength).toBe(W * H);
    expect(chunk.byteLength).toBe(W * H * 2 + 16);
    await done;
  });

  it('drops frames for unknown cameras and beyond the in-flight limit, and reports bad frames', async () => {
    const worker = started({ maxInFlight: 1 });
    expect(worker.submit('nobody', new Uint8Array(W * H), 0)).toBe(false);
    worker.configure('cam', { width: W, height: H }, OPTIONS);
    const one = nextResults(worker, 1);
    expect(worker.submit('cam', new Uint8Array(W * H), 0)).toBe(true);
    expect(worker.submit('cam', new Uint8Array(W * H), 200)).toBe(false);
    expect(worker.dropped).toBe(2);
    await one;
    const rejected = nextRejection(worker);
    expect(worker.submit('cam', new Uint8Array(10), 400)).toBe(true);
    expect(await rejected).toEqual({ cameraId: 'cam', reason: expect.stringMatching(/10 bytes/) });
    // The rejection freed its slot.
    const again = nextResults(worker, 1);
    expect(worker.submit('cam', new Uint8Array(W * H), 600)).toBe(true);
    await again;
  });

  it('follows a resolution change carried with the frame', async () => {
    const worker = started();
    worker.configure('cam', { width: W, height: H }, OPTIONS);
    await feed(worker, 'cam', [new Uint8Array(W * H)]);
    const next = nextResults(worker, 1);
    expect(worker.submit('cam', new Uint8Array(128 * 72), 200, { width: 128, height: 72 })).toBe(true);
    expect((await next)[0]!.result).toEqual({ score: 0, active: false, box: null });
  });

  it('restarts a worker that died and configures every camera again', async () => {
    const logs: string[] = [];
    const worker = started({ log: (line) => logs.push(line) });
    const scene = new SyntheticScene(W, H);
    worker.configure('cam', { width: W, height: H }, OPTIONS);
    await feed(worker, 'cam', [scene.frame()]);
    worker.crash();
    const deadline = Date.now() + 10_000;
    while (worker.restarts === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(worker.restarts).toBe(1);
    // Back after the backoff: frames are accepted and analysed again.
    let accepted = false;
    while (!accepted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      accepted = worker.submit('cam', scene.frame(), 1000);
    }
    expect(accepted).toBe(true);
    expect(logs.join('\n')).toMatch(/motion worker exited.*restarting/);
  });

  it('refuses frames once stopped', async () => {
    const worker = started();
    worker.configure('cam', { width: W, height: H }, OPTIONS);
    await worker.stop();
    expect(worker.submit('cam', new Uint8Array(W * H), 0)).toBe(false);
  });

  it('rejects a configuration with an impossible size without dying', async () => {
    const worker = started();
    const rejected = nextRejection(worker);
    worker.configure('bad', { width: 0, height: 54 }, OPTIONS);
    expect((await rejected).reason).toMatch(/not a size/);
    worker.configure('good', { width: W, height: H }, OPTIONS);
    await feed(worker, 'good', [new Uint8Array(W * H)]);
    expect(worker.restarts).toBe(0);
  });
});
