// npm run bench:ingest — live ingest cost of Vigil against bare FFmpeg, in one run.
//
//   baseline: N × `ffmpeg -re -stream_loop -1 -i clip -c copy` into the same fragmented MP4,
//             written to /dev/null: what the cameras cost with no Vigil at all.
//   vigil:    the real headless host with N looped file cameras of the same clip and one
//             WebSocket viewer per camera, receiving every fragment.
//
// Both phases run for the same time on the same machine, so the ratio holds even on a
// noisy machine. Figures are printed and saved to bench/results/ingest.json.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { startBenchHost } from './bench-host';
import { childrenOf, cpuSeconds, percentile, rssBytes } from './proc-stats';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const CAMERAS = arg('cameras', 36);
const SECONDS = arg('seconds', 60);
const WARMUP_SECONDS = 10;
const FFMPEG = process.env.VIGIL_FFMPEG_PATH ?? 'ffmpeg';
const FMP4 = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame', '-flush_packets', '1'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function makeClip(dir: string): string {
  // The benchmark's camera: 640x360 H.264 at 15 fps (a typical sub-stream), 1 s GOP.
  const clip = join(dir, 'camera-640x360-15fps.mp4');
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-i', join(root, 'resources/demo/vtest-640x360.mp4'), '-t', '40', '-vf', 'fps=15', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-g', '15', '-bf', '0', '-pix_fmt', 'yuv420p', '-an', clip]);
  return clip;
}

async function baseline(clip: string): Promise<{ cpuSeconds: number }> {
  const procs: ChildProcess[] = [];
  for (let i = 0; i < CAMERAS; i++) {
    procs.push(spawn(FFMPEG, ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-map', '0:v:0', '-c:v', 'copy', '-an', ...FMP4, '-y', '/dev/null'], { stdio: 'ignore' }));
  }
  await sleep(WARMUP_SECONDS * 1000);
  const start = procs.reduce((sum, p) => sum + cpuSeconds(p.pid!), 0);
  await sleep(SECONDS * 1000);
  const end = procs.reduce((sum, p) => sum + cpuSeconds(p.pid!), 0);
  for (const p of procs) p.kill('SIGKILL');
  return { cpuSeconds: end - start };
}

interface Health {
  eventLoopLagMs: { p50: number; p99: number; max: number };
  cameras: { state: string; deliveryLatencyMs: { p50: number; p95: number; count: number }; skippedFragments: number }[];
}

async function vigil(clip: string) {
  const bench = await startBenchHost();
  const { url, token, api } = bench;
  const host = bench.process;
  const ids: string[] = [];
  // Live video alone: detection (bench:detect) and recording are off for these cameras.
  for (let i = 0; i < CAMERAS; i++) ids.push((await api<{ id: string }>('POST', '/api/cameras', { name: `Bench ${i + 1}`, mainUrl: pathToFileURL(clip).href, options: { detect: false, record: false } })).id);

  let bytes = 0;
  let fragments = 0;
  const viewers = ids.map((id) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api/live?camera=${id}&stream=sub&token=${token}`, { origin: url.origin });
    ws.on('message', (data, binary) => {
      if (!binary) return;
      bytes += (data as Buffer).length;
      fragments++;
    });
    return ws;
  });
  await sleep(WARMUP_SECONDS * 1000);
  const live = (await api<Health>('GET', '/api/health')).cameras.filter((c) => c.state === 'live').length;

  const processes = () => [host.pid!, ...childrenOf(host.pid!)];
  const startCpu = new Map(processes().map((pid) => [pid, cpuSeconds(pid)]));
  const startFragments = fragments;
  const startBytes = bytes;
  const engineRss: number[] = [];
  const lagP99: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  let nextHealth = Date.now() + 30_000;
  while (Date.now() < deadline) {
    engineRss.push(rssBytes(host.pid!));
    if (Date.now() >= nextHealth) {
      lagP99.push((await api<Health>('GET', '/api/health')).eventLoopLagMs.p99);
      nextHealth += 30_000;
    }
    await sleep(1000);
  }
  const endPids = processes();
  let engineCpu = 0;
  let ffmpegCpu = 0;
  for (const pid of new Set([...startCpu.keys(), ...endPids])) {
    const used = cpuSeconds(pid) - (startCpu.get(pid) ?? 0);
    if (pid === host.pid) engineCpu += used;
    else ffmpegCpu += used;
  }
  const health = await api<Health>('GET', '/api/health');
  lagP99.push(health.eventLoopLagMs.p99);
  const latencyP50 = health.cameras.map((c) => c.deliveryLatencyMs.p50);
  const latencyP95 = health.cameras.map((c) => c.deliveryLatencyMs.p95);
  for (const ws of viewers) ws.close();
  await bench.stop();
  return {
    camerasLive: live,
    engineCpuSeconds: engineCpu,
    ffmpegCpuSeconds: ffmpegCpu,
    engineRssMaxBytes: Math.max(...engineRss),
    eventLoopLagP99Ms: Math.max(...lagP99),
    deliveryLatencyMs: { p50: percentile(latencyP50, 50), p95: Math.max(...latencyP95) },
    viewerFragmentsPerSecond: (fragments - startFragments) / SECONDS,
    viewerMegabitsPerSecond: ((bytes - startBytes) * 8) / SECONDS / 1e6,
    skippedFragments: health.cameras.reduce((sum, c) => sum + c.skippedFragments, 0),
  };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-clip-'));
  console.log(`bench:ingest: ${CAMERAS} cameras, 640x360 H.264 15 fps looped, ${SECONDS} s per phase (+${WARMUP_SECONDS} s warm-up)`);
  const clip = makeClip(work);
  console.log('baseline: bare ffmpeg -c copy …');
  // The machine's speed drifts over minutes: the baseline runs before and after Vigil, and
  // Vigil is compared with their mean.
  const before = await baseline(clip);
  console.log('vigil: headless host + one WebSocket viewer per camera …');
  const run = await vigil(clip);
  console.log('baseline again: bare ffmpeg -c copy …');
  const after = await baseline(clip);
  const base = { cpuSeconds: (before.cpuSeconds + after.cpuSeconds) / 2 };
  rmSync(work, { recursive: true, force: true });

  const cameraMinutes = (CAMERAS * SECONDS) / 60;
  const vigilCpuPerCameraMinute = (run.engineCpuSeconds + run.ffmpegCpuSeconds) / cameraMinutes;
  const baselineCpuPerCameraMinute = base.cpuSeconds / cameraMinutes;
  const result = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    cameras: CAMERAS,
    seconds: SECONDS,
    camerasLive: run.camerasLive,
    cpuSecondsPerCameraMinute: {
      vigil: round(vigilCpuPerCameraMinute, 3),
      vigilEngine: round(run.engineCpuSeconds / cameraMinutes, 3),
      vigilFfmpeg: round(run.ffmpegCpuSeconds / cameraMinutes, 3),
      baseline: round(baselineCpuPerCameraMinute, 3),
      baselineBeforeAfter: [round(before.cpuSeconds / cameraMinutes, 3), round(after.cpuSeconds / cameraMinutes, 3)],
      ratio: round(vigilCpuPerCameraMinute / baselineCpuPerCameraMinute, 2),
      target: '<= 1.5',
    },
    engineRssMB: { max: round(run.engineRssMaxBytes / 1024 / 1024, 1), target: '<= 300' },
    eventLoopLagP99Ms: { value: run.eventLoopLagP99Ms, target: '<= 20' },
    ffmpegToWebSocketSendMs: { p50: run.deliveryLatencyMs.p50, p95: run.deliveryLatencyMs.p95 },
    viewers: { fragmentsPerSecond: round(run.viewerFragmentsPerSecond, 1), megabitsPerSecond: round(run.viewerMegabitsPerSecond, 2), skippedFragments: run.skippedFragments },
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved bench/results/ingest.json`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
