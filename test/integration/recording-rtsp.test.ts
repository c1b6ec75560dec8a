// Continuous recording from a real RTSP camera (GStreamer) through the whole engine: the
// camera's own FFmpeg writes fragmented-MP4 segments, the engine indexes them in SQLite,
// a SIGKILL mid-segment loses at most the open fragment, and a nearly full disk pauses
// recording with a reason until space returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startRtspServer, type RtspServer } from '../harness/rtsp-server';
import { DEMO_CLIP, startTestEngine, type TestEngine } from '../support/test-engine';
import type { DiskSpace } from '../../src/main/engine/recording/disk-space';
import type { Segment } from '../../src/main/engine/recording/segments-repo';
import { absoluteSegmentPath } from '../../src/main/engine/recording/segment-layout';
import type { Health } from '../../src/shared/api';

const GB = 1024 ** 3;
let rtsp: RtspServer;
let vigil: TestEngine;
let disk: DiskSpace = { freeBytes: 500 * GB, totalBytes: 1000 * GB };
let cameraId: string;
let cameraUrl: string;
let killedAt = 0;

beforeAll(async () => {
  rtsp = await startRtspServer({ file: DEMO_CLIP });
  vigil = await startTestEngine({ recording: { diskSpace: () => disk, checkIntervalMs: 500 } });
});

afterAll(async () => {
  await vigil?.stop();
  await rtsp?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function segments(): Segment[] {
  return vigil.engine.recording!.segmentsInRange(cameraId, 0, Date.now() + 60_000);
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function probe(file: string): { codec: string; duration: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as { streams: { codec_name: string }[]; format: { duration?: string } };
  return { codec: json.streams[0]?.codec_name ?? '', duration: Number(json.format.duration ?? 0) };
}

function decodes(file: string): { status: number | null; stderr: string } {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

/** The camera's FFmpeg: a child of this process with the camera's URL on its command line. */
function cameraFfmpeg(): { pid: number; args: string } | null {
  const result = spawnSync('pgrep', ['-P', String(process.pid), '-f', cameraUrl], { encoding: 'utf8' });
  const pid = Number(result.stdout.trim().split('\n')[0]);
  if (!pid) return null;
  return { pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ') };
}

async function recordingHealth(): Promise<NonNullable<Health['cameras'][number]['recording']>> {
  const health = await vigil.api<Health>('GET', '/api/health');
  return health.body.cameras.find((camera) => camera.id === cameraId)!.recording!;
}

describe('recording an RTSP camera', () => {
  it('indexes ~10 s segments with increasing times; the files are H.264 of that length', async () => {
    cameraUrl = rtsp.url('/cam');
    const camera = await vigil.addCamera({ name: 'Yard', mainUrl: cameraUrl });
    cameraId = camera.id;
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    expect(await recordingHealth()).toEqual({ state: 'recording', reason: null });
    const found = await until('two segments', 40_000, () => (segments().length >= 2 ? segments() : null));
    for (const [i, segment] of found.entries()) {
      expect(segment.recovered).toBe(false);
      // Segments are cut at the first keyframe after 10 s: the clip's GOP is 2 s, and its
      // loop (79.5 s) shifts the keyframes, so 10 to 12 s.
      expect(segment.endMs - segment.startMs).toBeGreaterThan(9_000);
      expect(segment.endMs - segment.startMs).toBeLessThan(12_500);
      if (i > 0) {
        expect(segment.startMs).toBeGreaterThan(found[i - 1]!.startMs);
        // Back to back: each starts where the previous ended, give or take the report delay.
        expect(Math.abs(segment.startMs - found[i - 1]!.endMs)).toBeLessThan(1_000);
      }
      const file = absoluteSegmentPath(vigil.engine.recording!.root, segment.path);
      const facts = probe(file);
      expect(facts.codec).toBe('h264');
      expect(Math.abs(facts.duration * 1000 - (segment.endMs - segment.startMs))).toBeLessThan(1_000);
      expect(readFileSync(file).length).toBe(segment.bytes);
    }
    const coverage = vigil.engine.recording!.coverage(cameraId, found[0]!.startMs, found.at(-1)!.endMs);
    expect(coverage).toEqual([{ startMs: found[0]!.startMs, endMs: found.at(-1)!.endMs }]);
  });

  it('a SIGKILL mid-segment keeps the earlier segments and the open one up to its last fragment', async () => {
    const before = segments();
    const last = before.at(-1)!;
    // Mid-segment: a few fragments into the open file.
    await until('mid-segment', 15_000, () => Date.now() - last.endMs > 4_500 && segments().length === before.length);
    const ffmpeg = cameraFfmpeg();
    expect(ffmpeg?.args).toContain('-segment_list');
    killedAt = Date.now();
    process.kill(ffmpeg!.pid, 'SIGKILL');

    const recovered = await until('the open segment indexed', 10_000, () => segments().find((s) => s.recovered));
    expect(recovered.startMs).toBeGreaterThanOrEqual(Math.floor(last.endMs / 1000) * 1000 - 1_000);
    const file = absoluteSegmentPath(vigil.engine.recording!.root, recovered.path);
    const facts = probe(file);
    expect(facts.codec).toBe('h264');
    expect(facts.duration).toBeGreaterThan(2);
    expect(facts.duration).toBeLessThan(10);
    const decoded = decodes(file);
    expect(decoded.status).toBe(0);
    for (const segment of before) {
      const intact = probe(absoluteSegmentPath(vigil.engine.recording!.root, segment.path));
      expect(intact.codec).toBe('h264');
      expect(intact.duration).toBeGreaterThan(9);
      expect(decodes(absoluteSegmentPath(vigil.engine.recording!.root, segment.path)).status).toBe(0);
    }
  });

  it('the camera restarts and recording continues in a new segment', async () => {
    const back = await vigil.waitForCamera(cameraId, (c) => c.status.state === 'live' && c.status.restarts > 1, 40_000, 'live again');
    expect(back.status.restarts).toBeGreaterThan(1);
    const next = await until('a segment after the restart', 40_000, () => segments().find((s) => !s.recovered && s.startMs > killedAt));
    expect(next.endMs - next.startMs).toBeGreaterThan(9_000);
    expect(probe(absoluteSegmentPath(vigil.engine.recording!.root, next.path)).codec).toBe('h264');
  });

  it('a nearly full disk pauses recording with RECORDING_DISK_FULL; live video goes on; space back resumes it', async () => {
    disk = { freeBytes: 1 * GB, totalBytes: 1000 * GB };
    expect(await until('paused', 10_000, async () => {
      const health = await recordingHealth();
      return health.state === 'paused' ? health : null;
    })).toEqual({ state: 'paused', reason: 'RECORDING_DISK_FULL' });
    // The camera's FFmpeg was restarted without its record output, and stays live.
    const unrecorded = await until('FFmpeg without a record output', 10_000, () => {
      const ffmpeg = cameraFfmpeg();
      return ffmpeg && !ffmpeg.args.includes('-segment_list') ? ffmpeg : null;
    });
    expect(unrecorded.args).not.toContain('segment');
    await vigil.waitForCamera(cameraId, (c) => c.status.state === 'live', 20_000, 'live while paused');
    const count = segments().length;
    await sleep(3_000);
    // Stopping cleanly closed and listed the open segment; nothing is written while paused.
    expect(segments().length).toBe(count);
    expect(segments().filter((s) => s.recovered)).toHaveLength(1);
    expect(vigil.logs.join('\n')).toContain('RECORDING_DISK_FULL');

    const pausedAt = Date.now();
    disk = { freeBytes: 500 * GB, totalBytes: 1000 * GB };
    expect(await until('recording again', 10_000, async () => {
      const health = await recordingHealth();
      return health.state === 'recording' ? health : null;
    })).toEqual({ state: 'recording', reason: null });
    await until('FFmpeg with a record output', 10_000, () => cameraFfmpeg()?.args.includes('-segment_list'));
    const resumed = await until('a segment after resuming', 40_000, () => segments().find((s) => s.startMs > pausedAt));
    expect(probe(absoluteSegmentPath(vigil.engine.recording!.root, resumed.path)).duration).toBeGreaterThan(9);
  });
});
