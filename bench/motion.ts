// npm run bench:motion — what the motion gate costs per frame, on real decoded footage: the
// demo clip decoded by FFmpeg to 96x54 grey at 5 fps, exactly as the detect pipeline does,
// then fed to MotionGate in this process. Baseline in the same run: one plain pass summing
// each frame's bytes (the least any per-frame look at the picture costs), so the ratio holds
// on a noisy machine. Saved to bench/results/motion.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MotionGate } from '../src/main/engine/motion/motion-gate';
import { locateFfmpeg } from '../src/main/engine/cameras/ffmpeg-binary';

const root = resolve(__dirname, '..', '..');
const W = 96;
const H = 54;
const FPS = 5;
const PASSES = 20;

async function main(): Promise<void> {
  const ffmpeg = (await locateFfmpeg()).path;
  const clip = join(root, 'resources', 'demo', 'vtest-640x360.mp4');
  const raw = execFileSync(ffmpeg, ['-v', 'error', '-i', clip, '-t', '20', '-vf', `fps=${FPS},scale=${W}:${H},format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const frames: Uint8Array[] = [];
  for (let at = 0; at + W * H <= raw.length; at += W * H) frames.push(new Uint8Array(raw.subarray(at, at + W * H)));

  const gate = new MotionGate({ width: W, height: H }, { threshold: 25, minArea: 0.002, masks: [] });
  let t = 0;
  const gatePass = () => {
    for (const frame of frames) gate.update(frame, (t += 1000 / FPS));
  };
  let sink = 0;
  const baselinePass = () => {
    for (const frame of frames) for (let i = 0; i < frame.length; i++) sink += frame[i]!;
  };
  // Untimed passes first, so both loops are JIT-optimised as in a running engine.
  for (let i = 0; i < 3; i++) {
    gatePass();
    baselinePass();
  }
  // Alternating, so drift of the machine's speed falls on both alike.
  let gateNs = 0n;
  let baseNs = 0n;
  for (let pass = 0; pass < PASSES; pass++) {
    let start = process.hrtime.bigint();
    gatePass();
    gateNs += process.hrtime.bigint() - start;
    start = process.hrtime.bigint();
    baselinePass();
    baseNs += process.hrtime.bigint() - start;
  }
  const count = frames.length * PASSES;
  const gateUs = Number(gateNs) / 1000 / count;
  const baseUs = Number(baseNs) / 1000 / count;
  const result = {
    at: new Date().toISOString(),
    frames: frames.length,
    passes: PASSES,
    frameSize: `${W}x${H}`,
    motionGateUsPerFrame: Math.round(gateUs * 100) / 100,
    baselineUsPerFrame: Math.round(baseUs * 100) / 100,
    ratio: Math.round((gateUs / baseUs) * 10) / 10,
    // The engine's worst case: 36 cameras analysed at 5 fps by one motion thread.
    msPerSecondFor36CamerasAt5Fps: Math.round(((gateUs * 36 * FPS) / 1000) * 100) / 100,
    checksum: sink % 997,
  };
  console.table([{ 'motion gate µs/frame': result.motionGateUsPerFrame, 'baseline µs/frame': result.baselineUsPerFrame, ratio: result.ratio, 'ms/s for 36 cameras at 5 fps': result.msPerSecondFor36CamerasAt5Fps }]);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'motion.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
