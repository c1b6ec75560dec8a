// Every network source kind a camera can have, each served on 127.0.0.1 by a real server
// (FFmpeg's own RTMP and HTTP listeners, FFmpeg writing live HLS, Node MJPEG and file servers),
// through the whole engine: supervisor, stream hubs and the live WebSocket. Also a camera with
// a sub-stream, one whose server hangs mid-stream, and one with an absurd picture size.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../src/shared/api';
import type { CameraState } from '../../src/shared/cameras';
import type { CameraReason } from '../../src/shared/reasons';
import { MAX_DIMENSION } from '../../src/shared/cameras';
import WebSocket from 'ws';
import { fragmentBaseDecodeTime, parseInitSegment } from '../../src/main/engine/live/fmp4';
import { IO_TIMEOUT_MS } from '../../src/main/engine/cameras/ffmpeg-argv';
import { freePort } from '../harness/rtsp-server';
import { serveDirectory, serveMjpeg, startFfmpegServer, startHlsWriter } from '../harness/source-servers';
import { captureLive, DEMO_CLIP, startTestEngine, type TestEngine } from '../support/test-engine';

let vigil: TestEngine;
let dir: string;
/**
 * A private copy of the demo clip: camera-files.test.ts kills every `ffmpeg ... DEMO_CLIP` on the
 * machine (pgrep -f), which would hit these cameras and servers if both ran at the same time.
 */
let clip: string;
let healthyId: string;
let mjpegId: string;
/** Stops every server a test started; run after the engine has stopped its cameras. */
const cleanups: (() => Promise<void>)[] = [];

/** Every status change the engine announced, in order, as it happened. */
interface Transition {
  at: number;
  id: string;
  state: CameraState;
  reason: CameraReason | null;
}
const transitions: Transition[] = [];

/** Binary messages a viewer received within `ms`, each with the time it arrived. */
function watchLive(url: string, ms: number, enough = Infinity): Promise<{ at: number; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    const got: { at: number; data: Buffer }[] = [];
    const ws = new WebSocket(url);
    const done = () => {
      clearTimeout(timer);
      ws.terminate();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    ws.on('message', (data, isBinary) => {
      if (isBinary) got.push({ at: Date.now(), data: data as Buffer });
      else got.push({ at: Date.now(), data: Buffer.alloc(0) }); // a hello: counted, no bytes
      if (got.length >= enough) done();
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-sources-'));
  clip = join(dir, 'clip-640x360.mp4');
  copyFileSync(DEMO_CLIP, clip);
  vigil = await startTestEngine();
  vigil.engine.cameras.on('event', (event) => {
    if (event.type === 'camera.status') transitions.push({ at: Date.now(), id: event.camera.id, state: event.camera.status.state, reason: event.camera.status.reason });
  });
  // The camera that must not notice anything the others go through.
  healthyId = (await vigil.addCamera({ name: 'Healthy', mainUrl: pathToFileURL(clip).href })).id;
  await vigil.waitForCamera(healthyId, (c) => c.status.state === 'live', 20_000, 'live');
});

afterAll(async () => {
  if (process.env.SOURCES_DEBUG) {
    const t0 = transitions[0]?.at ?? 0;
    console.log([...(vigil?.logs ?? []), ...transitions.map((t) => `${t.at - t0} ms ${t.id.slice(0, 8)} ${t.state} ${t.reason ?? ''}`)].join('\n'));
  }
  await vigil?.stop();
  await Promise.all(cleanups.map((stop) => stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('camera sources through the engine', () => {
  it('RTMP: plays a stream from an RTMP server by stream copy', async () => {
    const port = await freePort();
    const url = `rtmp://127.0.0.1:${port}/live/cam`;
    const server = await startFfmpegServer(['-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy', '-f', 'flv', '-listen', '1', url], port);
    cleanups.push(server.stop);

    const camera = await vigil.addCamera({ name: 'RTMP', mainUrl: url });
    expect(camera.sourceKind).toBe('rtmp');
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    expect(live.status.streams).toHaveLength(1);
    expect(live.status.streams[0]).toMatchObject({ role: 'main', transcoded: false, sourceCodec: 'avc1', width: 640, height: 360 });

    const capture = await captureLive(vigil.liveUrl(camera.id, 'main'), 10);
    expect(capture.hellos[0]!.stream.transcoded).toBe(false);
    expect(parseInitSegment(capture.init!)).toMatchObject({ fourcc: 'avc1', width: 640, height: 360 });
    for (const fragment of capture.fragments) expect(fragment.toString('latin1', 4, 8)).toBe('moof');
  });

  it('HTTP MJPEG: transcodes an MJPEG camera to H.264 for the browser', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/stream`;
    // What an IP camera's MJPEG endpoint sends: multipart/x-mixed-replace, one JPEG per part.
    const server = await startFfmpegServer(
      [
        '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-c:v', 'mjpeg', '-q:v', '5',
        '-f', 'mpjpeg', '-content_type', 'multipart/x-mixed-replace;boundary=ffmpeg', '-listen', '1', url,
      ],
      port,
    );
    cleanups.push(server.stop);

    const camera = await vigil.addCamera({ name: 'MJPEG', mainUrl: url });
    mjpegId = camera.id;
    expect(camera.sourceKind).toBe('http');
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live' && c.status.streams[0]?.width !== null, 30_000, 'live');
    expect(live.status.streams[0]).toMatchObject({ role: 'main', transcoded: true, width: 320, height: 240 });
    expect(live.status.streams[0]!.mime).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}"$/);

    const capture = await captureLive(vigil.liveUrl(camera.id, 'main'), 10);
    expect(capture.hellos[0]!.stream.transcoded).toBe(true);
    expect(parseInitSegment(capture.init!)).toMatchObject({ fourcc: 'avc1', width: 320, height: 240 });
  });

  it('HTTP MJPEG: the transcoded stream keeps real time (MJPEG parts carry no timestamps)', async () => {
    // The source sends 10 frames a second. The fragments' decode times must advance as fast as
    // the wall clock, or the player's live edge drifts: behind for slow cameras, ahead (and
    // seeking every few seconds) for cameras faster than the 25 fps FFmpeg assumes.
    const got = await watchLive(vigil.liveUrl(mjpegId, 'main'), 15_000, 2 + 40);
    const init = parseInitSegment(got.find((m) => m.data.length > 0)!.data);
    const fragments = got.filter((m) => m.data.length > 0).slice(1);
    expect(fragments.length).toBeGreaterThanOrEqual(30);
    const first = fragments[0]!;
    const last = fragments.at(-1)!;
    const mediaSeconds = (fragmentBaseDecodeTime(last.data)! - fragmentBaseDecodeTime(first.data)!) / init.timescale;
    const wallSeconds = (last.at - first.at) / 1000;
    const ratio = mediaSeconds / wallSeconds;
    expect(ratio, `media ${mediaSeconds.toFixed(2)} s in ${wallSeconds.toFixed(2)} s of wall time`).toBeGreaterThan(0.8);
    expect(ratio, `media ${mediaSeconds.toFixed(2)} s in ${wallSeconds.toFixed(2)} s of wall time`).toBeLessThan(1.25);
  });

  it('HLS: follows a live HLS playlist by stream copy', async () => {
    const hlsDir = join(dir, 'hls');
    mkdirSync(hlsDir);
    const writer = await startHlsWriter(clip, hlsDir);
    cleanups.push(writer.stop);
    const http = await serveDirectory(hlsDir);
    cleanups.push(http.stop);

    const camera = await vigil.addCamera({ name: 'HLS', mainUrl: http.url('/live.m3u8') });
    expect(camera.sourceKind).toBe('hls');
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    expect(live.status.streams[0]).toMatchObject({ role: 'main', transcoded: false, sourceCodec: 'avc1', width: 640, height: 360 });

    // 50 frames at 10 fps is more than the newest segment FFmpeg starts from: it must have
    // reloaded the playlist and fetched segments written after it connected.
    const capture = await captureLive(vigil.liveUrl(camera.id, 'main'), 50, 30_000);
    expect(parseInitSegment(capture.init!)).toMatchObject({ fourcc: 'avc1', width: 640, height: 360 });
    expect(http.requests.filter((path) => path === '/live.m3u8').length).toBeGreaterThanOrEqual(2);
    expect(new Set(http.requests.filter((path) => path.endsWith('.ts'))).size).toBeGreaterThanOrEqual(2);
  });

  it('sub-stream: serves main and sub streams, each at its own size', async () => {
    const subClip = join(dir, 'sub-320x180.mp4');
    ffmpeg('-i', clip, '-t', '10', '-an', '-vf', 'scale=320:180', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-bf', '0', subClip);

    const camera = await vigil.addCamera({ name: 'Dual', mainUrl: pathToFileURL(clip).href, subUrl: pathToFileURL(subClip).href });
    const live = await vigil.waitForCamera(
      camera.id,
      (c) => c.status.state === 'live' && c.status.streams.length === 2 && c.status.streams.every((s) => s.width !== null),
      30_000,
      'both streams live',
    );
    const byRole = Object.fromEntries(live.status.streams.map((s) => [s.role, s]));
    expect(byRole.main).toMatchObject({ transcoded: false, sourceCodec: 'avc1', width: 640, height: 360 });
    expect(byRole.sub).toMatchObject({ transcoded: false, sourceCodec: 'avc1', width: 320, height: 180 });

    const [main, sub] = await Promise.all([captureLive(vigil.liveUrl(camera.id, 'main'), 5), captureLive(vigil.liveUrl(camera.id, 'sub'), 5)]);
    expect(parseInitSegment(main.init!)).toMatchObject({ fourcc: 'avc1', width: 640, height: 360 });
    expect(parseInitSegment(sub.init!)).toMatchObject({ fourcc: 'avc1', width: 320, height: 180 });
    expect(main.init!.equals(sub.init!)).toBe(false);
  });

  it('stall watchdog: restarts a camera whose server goes silent but keeps the connection open', async () => {
    const framesDir = join(dir, 'frames');
    mkdirSync(framesDir);
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2', '-c:v', 'mjpeg', '-q:v', '5', join(framesDir, 'f%03d.jpg'));
    const frames = readdirSync(framesDir).sort().map((name) => readFileSync(join(framesDir, name)));
    expect(frames).toHaveLength(20);
    // 2 s of video on every connection, then nothing, with the socket left open.
    const server = await serveMjpeg({ frames, fps: 10, stallAfterFrames: frames.length });
    cleanups.push(server.stop);

    const stallSeconds = 3;
    // The watchdog must fire before FFmpeg's own socket timeout, or this test shows TIMEOUT.
    expect(stallSeconds * 1000).toBeLessThan(IO_TIMEOUT_MS);
    const camera = await vigil.addCamera({ name: 'Hangs', mainUrl: server.url('/video.mjpg'), options: { stallSeconds } });
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    const stalled = await vigil.waitForCamera(camera.id, (c) => c.status.reason !== null, 20_000, 'a reason');
    expect(stalled.status).toMatchObject({ state: 'reconnecting', reason: 'STALLED' });
    expect(stalled.status.message).toMatch(/.+/);

    const back = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live' && c.status.restarts >= 2, 30_000, 'live again');
    expect(back.status.restarts).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);

    // The trace: live, then STALLED (not TIMEOUT, which FFmpeg alone reports after 5 s of
    // silence), then live again. The watchdog fired 3-4 s after the last frame (it checks once
    // a second), before FFmpeg's own socket timeout.
    const mine = transitions.filter((t) => t.id === camera.id);
    const firstFailure = mine.find((t) => t.reason !== null)!;
    expect(firstFailure).toMatchObject({ state: 'reconnecting', reason: 'STALLED' });
    expect(mine.slice(0, mine.indexOf(firstFailure)).some((t) => t.state === 'live')).toBe(true);
    expect(mine.slice(mine.indexOf(firstFailure)).some((t) => t.state === 'live')).toBe(true);
    const silentFor = firstFailure.at - server.silentSince[0]!;
    expect(silentFor).toBeGreaterThanOrEqual(stallSeconds * 1000 - 100);
    expect(silentFor).toBeLessThan(IO_TIMEOUT_MS);
    expect(vigil.logs.some((line) => line.includes('"Hangs": STALLED'))).toBe(true);
  });

  it('refuses a source whose picture is absurdly large with RESOLUTION_UNSUPPORTED', async () => {
    const wide = join(dir, 'wide-8200x64.mp4');
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=8200x64:rate=5', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', wide);
    expect(8200).toBeGreaterThan(MAX_DIMENSION);

    const camera = await vigil.addCamera({ name: 'Too wide', mainUrl: pathToFileURL(wide).href });
    const refused = await vigil.waitForCamera(camera.id, (c) => c.status.reason !== null, 20_000, 'a reason');
    expect(refused.status).toMatchObject({ state: 'error', reason: 'RESOLUTION_UNSUPPORTED' });
    expect(refused.status.message).toContain('8200x64');
    // An operator has to fix this: the retry is the slow one (15 s, +/-20 %).
    expect(refused.status.nextRetryAt! - Date.now()).toBeGreaterThan(5_000);
  });

  it('a refused picture size is never shown as live nor handed to a viewer', async () => {
    const camera = (await vigil.api<{ id: string; name: string }[]>('GET', '/api/cameras')).body.find((c) => c.name === 'Too wide')!;
    const trace = transitions.filter((t) => t.id === camera.id);
    expect(trace.at(-1)).toMatchObject({ state: 'error', reason: 'RESOLUTION_UNSUPPORTED' });
    expect(trace.map((t) => t.state)).not.toContain('live');
    // A viewer opening the refused camera gets nothing: no hello, no 8200x64 init segment.
    const got = await watchLive(vigil.liveUrl(camera.id, 'main'), 1_500);
    expect(got.map((m) => (m.data.length > 0 ? m.data.toString('latin1', 4, 8) : 'hello'))).toEqual([]);
  });

  it('keeps the first camera live and the engine healthy through all of the above', async () => {
    const healthy = await vigil.camera(healthyId);
    expect(healthy.status).toMatchObject({ state: 'live', reason: null, restarts: 1 });
    // Once live, it never left that state.
    const trace = transitions.filter((t) => t.id === healthyId);
    expect(trace.slice(trace.findIndex((t) => t.state === 'live')).map((t) => t.state)).toEqual(['live']);

    const health = await vigil.api<Health>('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
    const byName = Object.fromEntries(health.body.cameras.map((c) => [c.name, c]));
    expect(byName.Healthy).toMatchObject({ state: 'live', reason: null });
    expect(byName.Healthy!.bytesPerSecond).toBeGreaterThan(0);
    for (const name of ['RTMP', 'MJPEG', 'HLS', 'Dual']) expect(byName[name], name).toMatchObject({ state: 'live' });
    expect(byName['Too wide']).toMatchObject({ state: 'error', reason: 'RESOLUTION_UNSUPPORTED' });
  });
});
