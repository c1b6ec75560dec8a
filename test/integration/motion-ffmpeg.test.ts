// The motion gate on real FFmpeg output, through the worker thread the engine uses: a still
// scene encoded with sensor noise and H.264 artefacts must stay idle, and the demo clip of
// people walking down a corridor must gate active. Both decoded exactly as the detect
// pipeline does: scaled to 96x54 grey at 5 fps.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../src/main/engine/cameras/ffmpeg-binary';
import { MotionGate, type MotionOptions, type MotionResult } from '../../src/main/engine/motion/motion-gate';
import { MotionWorker } from '../../src/main/engine/motion/motion-worker';
import { DEMO_CLIP } from '../support/test-engine';

const run = promisify(execFile);
const W = 96;
const H = 54;
const FPS = 5;
const OPTIONS: MotionOptions = { threshold: 25, minArea: 0.002, masks: [] };
/** The background settles within a second or two; scores before that are not judged. */
const WARM_UP_FRAMES = 10;

let ffmpeg = '';
let dir = '';
let worker: MotionWorker;

beforeAll(async () => {
  ffmpeg = (await locateFfmpeg()).path;
  dir = mkdtempSync(join(tmpdir(), 'vigil-motion-'));
  worker = new MotionWorker();
  worker.start();
});

afterAll(async () => {
  await worker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Decodes `input` to gray8 96x54 frames at 5 fps, as the detect pipeline's FFmpeg does. */
async function grayFrames(inputArgs: string[], seconds: number): Promise<Uint8Array[]> {
  const { stdout } = await run(ffmpeg, ['-v', 'error', ...inputArgs, '-t', String(seconds), '-vf', `fps=${FPS},scale=${W}:${H},format=gray`, '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const frames: Uint8Array[] = [];
  for (let at = 0; at + W * H <= stdout.length; at += W * H) frames.push(new Uint8Array(stdout.subarray(at, at + W * H)));
  return frames;
}

/** Every frame through the worker, one at a time, at its 5 fps timestamp. */
async function gate(cameraId: string, frames: Uint8Array[]): Promise<MotionResult[]> {
  worker.configure(cameraId, { width: W, height: H }, OPTIONS);
  const results: MotionResult[] = [];
  for (const [i, frame] of frames.entries()) {
    const next = new Promise<MotionResult>((resolve) => {
      const listener = (id: string, result: MotionResult) => {
        if (id !== cameraId) return;
        worker.off('result', listener);
        resolve(result);
      };
      worker.on('result', listener);
    });
    expect(worker.submit(cameraId, frame, (i * 1000) / FPS)).toBe(true);
    results.push(await next);
  }
  worker.remove(cameraId);
  return results;
}

function summary(results: MotionResult[]): string {
  const scores = results.map((r) => r.score);
  return `${results.filter((r) => r.active).length}/${results.length} active, max score ${Math.max(...scores).toFixed(4)}, mean ${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(4)}`;
}

describe('motion gate on FFmpeg frames', () => {
  it('a still scene with sensor noise and H.264 artefacts stays idle', async () => {
    // One testsrc picture held for 20 s, with temporal noise (a camera's grain) baked in by
    // the encoder, then decoded like a camera stream: every frame differs a little.
    const still = join(dir, 'still.mp4');
    await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=5', '-vf', 'trim=end_frame=1,loop=loop=100:size=1,noise=alls=12:allf=t', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p', still]);
    const frames = await grayFrames(['-i', still], 20);
    expect(frames.length).toBeGreaterThanOrEqual(95);
    // The frames really differ (noise and compression), so idleness is earned.
    let changed = 0;
    for (let i = 0; i < W * H; i++) if (frames[20]![i] !== frames[21]![i]) changed++;
    expect(changed).toBeGreaterThan(W * H * 0.1);

    const results = await gate('still', frames);
    console.log(`still scene: ${summary(results)}`);
    const settled = results.slice(WARM_UP_FRAMES);
    expect(settled.filter((r) => r.active)).toHaveLength(0);
    expect(Math.max(...settled.map((r) => r.score))).toBeLessThan(0.001);
  });

  it('people walking in the demo clip gate the camera active', async () => {
    const frames = await grayFrames(['-i', DEMO_CLIP], 30);
    expect(frames.length).toBeGreaterThanOrEqual(145);
    const results = await gate('corridor', frames);
    console.log(`walking footage: ${summary(results)}`);
    const settled = results.slice(WARM_UP_FRAMES);
    // Someone is walking in nearly every second of the clip's first 30 s.
    expect(settled.filter((r) => r.active).length).toBeGreaterThan(settled.length * 0.8);
    expect(Math.max(...settled.map((r) => r.score))).toBeGreaterThan(0.01);
    expect(settled.find((r) => r.active)?.box).not.toBeNull();
  });

  it('a mask over the whole corridor silences the same footage', async () => {
    const frames = await grayFrames(['-i', DEMO_CLIP], 10);
    const masked = new MotionGate({ width: W, height: H }, { ...OPTIONS, masks: [[[0, 0], [1, 0], [1, 1], [0, 1]]] });
    expect(frames.every((frame, i) => !masked.update(frame, (i * 1000) / FPS).active)).toBe(true);
  });
});
