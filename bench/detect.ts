// npm run bench:detect — detection throughput and latency, in one run on this machine:
//   1. raw: onnxruntime-node session.run on a pre-made input tensor, back to back, with the
//      threads the inference worker uses: the physical limit of this machine for this model;
//   2. pipeline: the real headless host with N looped cameras of real pedestrian footage
//      (motion gating on), for 9 and for 36 cameras: analyses/s against raw, frame-to-result
//      latency, achieved detect fps per camera, engine and worker RSS.
// Needs the model on VIGIL_MODEL_PATH (npm test points it at ../shared/models). Figures are
// printed and saved to bench/results/detect.json.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { DetectionsEvent } from '../src/shared/detection';
import { Detector } from '../src/main/engine/inference/detector';
import { chooseModel } from '../src/main/engine/inference/model-choice';
import { startBenchHost } from './bench-host';
import { childrenOf, cpuSeconds, percentile, rssBytes } from './proc-stats';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const SECONDS = arg('seconds', 60);
const RAW_SECONDS = arg('raw-seconds', 20);
const WARMUP_SECONDS = 15;
const THREADS = Number(process.env.VIGIL_INFERENCE_THREADS) || Math.max(1, Math.min(4, cpus().length));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The vtest pedestrian footage at 640x360 (the sub-stream size Vigil recommends), shipped in resources/. */
function footage(): string {
  return join(root, 'resources', 'demo', 'vtest-640x360.mp4');
}

/** session.run back to back on pre-made input, by `sessions` sessions of `threads` threads each. */
async function rawThroughput(sessions: number, threads: number) {
  const model = await chooseModel({ dataDir: mkdtempSync(join(tmpdir(), 'vigil-bench-model-')), appDir: root, env: process.env });
  const detectors = await Promise.all(Array.from({ length: sessions }, () => Detector.load({ entry: model.entry, file: model.file, threads, log: () => {} })));
  const [w, h] = model.entry.inputSize;
  const input = new Float32Array(3 * w * h).map((_, i) => (i * 7919) % 255);
  for (const detector of detectors) for (let i = 0; i < 10; i++) await detector.runTensor(input, 1);
  let runs = 0;
  const started = performance.now();
  await Promise.all(
    detectors.map(async (detector) => {
      while (performance.now() - started < RAW_SECONDS * 1000) {
        await detector.runTensor(input, 1);
        runs++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(detectors.map((d) => d.close()));
  return { model: model.entry.id, provider: detectors[0]!.provider, fallbacks: detectors[0]!.fallbacks, sessions, threads, inferencesPerSecond: runs / seconds, msPerInference: (seconds * 1000 * sessions) / runs };
}

/**
 * The engine's setting (one worker, THREADS threads) is the raw reference; one session per
 * core is measured beside it to show whether more workers would be faster on this machine.
 * (Sessions in one process stand in for worker processes: each runs its own thread pool.)
 */
async function raw() {
  const reference = await rawThroughput(1, THREADS);
  const perCore = THREADS > 1 ? await rawThroughput(THREADS, 1) : null;
  return { ...reference, alternative: perCore && { sessions: perCore.sessions, threadsEach: 1, inferencesPerSecond: round(perCore.inferencesPerSecond) } };
}

async function pipeline(cameras: number, clip: string) {
  const bench = await startBenchHost();
  const { url, token, api } = bench;
  const host = bench.process;
  // Detection alone: recording (which would also write 36 streams to disk) is off.
  for (let i = 0; i < cameras; i++) await api('POST', '/api/cameras', { name: `Bench ${i + 1}`, mainUrl: pathToFileURL(clip).href, options: { record: false } });

  let counting = false;
  const latencies: number[] = [];
  const perCamera = new Map<string, number>();
  const events = new WebSocket(`ws://127.0.0.1:${url.port}/api/events?token=${token}`, { origin: url.origin });
  events.on('message', (data) => {
    const event = JSON.parse(data.toString()) as { type: string };
    if (!counting || event.type !== 'detections') return;
    const detections = event as DetectionsEvent;
    latencies.push(Date.now() - detections.frameAt);
    perCamera.set(detections.camera, (perCamera.get(detections.camera) ?? 0) + 1);
  });
  await sleep(WARMUP_SECONDS * 1000);
  counting = true;
  const engineRss: number[] = [];
  const workerRss: number[] = [];
  const worker = childrenOf(host.pid!).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('inference-worker');
    } catch {
      return false;
    }
  });
  // Where the CPU goes during the window: FFmpeg (decoding), the engine (with its motion
  // thread), and the inference worker.
  const cpuOf = () => {
    const pids = childrenOf(host.pid!);
    const ffmpeg = pids.filter((pid) => pid !== worker).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    return { engine: cpuSeconds(host.pid!), worker: worker ? cpuSeconds(worker) : 0, ffmpeg, ffmpegPids: pids.filter((pid) => pid !== worker) };
  };
  const cpuStart = cpuOf();
  const deadline = Date.now() + SECONDS * 1000;
  while (Date.now() < deadline) {
    engineRss.push(rssBytes(host.pid!));
    if (worker) workerRss.push(rssBytes(worker));
    await sleep(1000);
  }
  counting = false;
  const cpuEnd = cpuOf();
  const share = (key: 'engine' | 'worker' | 'ffmpeg') => round((cpuEnd[key] - cpuStart[key]) / SECONDS, 2);
  const health = await api<{ inference: { provider: string; latencyMs: { p50: number; p95: number } }; eventLoopLagMs: { p99: number }; cameras: { detect: { detectFps: number; droppedFrames: number; motionActive: boolean } }[] }>('GET', '/api/health');
  events.close();
  await bench.stop();
  const analysed = latencies.length;
  const fpsPerCamera = [...Array(cameras).keys()].map((i) => [...perCamera.values()][i] ?? 0).map((n) => n / SECONDS);
  return {
    cameras,
    analysesPerSecond: analysed / SECONDS,
    frameToResultMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    detectFpsPerCamera: { min: round(Math.min(...fpsPerCamera), 2), median: round(percentile(fpsPerCamera, 50), 2), max: round(Math.max(...fpsPerCamera), 2) },
    camerasWithMotion: health.cameras.filter((c) => c.detect.motionActive).length,
    droppedFrames: health.cameras.reduce((sum, c) => sum + c.detect.droppedFrames, 0),
    workerInferenceMs: health.inference.latencyMs,
    provider: health.inference.provider,
    engineEventLoopLagP99Ms: health.eventLoopLagMs.p99,
    /** Cores busy on average during the window (this machine has cpus().length). */
    coresUsed: { ffmpeg: share('ffmpeg'), engine: share('engine'), inferenceWorker: share('worker') },
    engineRssMB: round(Math.max(...engineRss) / 1024 / 1024),
    workerRssMB: workerRss.length ? round(Math.max(...workerRss) / 1024 / 1024) : null,
  };
}

async function main() {
  if (!process.env.VIGIL_MODEL_PATH) console.error('bench:detect: VIGIL_MODEL_PATH is not set; searching the data dir and models/ only');
  const clip = footage();
  console.log(`bench:detect: raw ${RAW_SECONDS} s, then pipeline ${SECONDS} s (+${WARMUP_SECONDS} s warm-up) for 9 and 36 cameras of ${clip}`);
  // This machine's speed drifts over minutes: raw is measured before and after each pipeline
  // phase, and each phase is compared with the mean of the two measurements around it.
  const rawFigures = await raw();
  console.log(`raw: ${round(rawFigures.inferencesPerSecond)} inferences/s on ${rawFigures.provider} (${THREADS} threads)`);
  const rawSeries = [rawFigures.inferencesPerSecond];
  const runs = [];
  for (const cameras of [9, 36]) {
    const run = await pipeline(cameras, clip);
    const after = (await rawThroughput(1, THREADS)).inferencesPerSecond;
    const reference = (rawSeries.at(-1)! + after) / 2;
    rawSeries.push(after);
    console.log(`pipeline ${cameras} cameras: ${round(run.analysesPerSecond)} analyses/s, p95 ${run.frameToResultMs.p95} ms; raw around it ${round(reference)}/s`);
    runs.push({ ...run, rawReference: round(reference), ratioToRaw: round(run.analysesPerSecond / reference, 2) });
  }
  const result = {
    benchmark: 'detect',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    footage: clip.replace(root, '.'),
    raw: { ...rawFigures, inferencesPerSecond: round(rawFigures.inferencesPerSecond), msPerInference: round(rawFigures.msPerInference, 2), series: rawSeries.map((v) => round(v)) },
    pipeline: runs.map((run) => ({ ...run, analysesPerSecond: round(run.analysesPerSecond) })),
    targets: { ratioToRawWhenSaturated: '>= 0.9', frameToResultP95Ms: '<= 250 (CPU, yolox_nano)' },
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const name = process.env.VIGIL_BENCH_TAG ? `detect-${process.env.VIGIL_BENCH_TAG}.json` : 'detect.json';
  writeFileSync(join(dir, name), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved bench/results/${name}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
