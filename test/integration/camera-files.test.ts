// File sources through the real engine: a looped video as a simulated camera, a codec the
// browser cannot play (transcoded), and files that are not video at all.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInitSegment } from '../../src/main/engine/live/fmp4';
import { captureLive, DEMO_CLIP, startTestEngine, type TestEngine } from '../support/test-engine';

let vigil: TestEngine;
let dir: string;

beforeAll(async () => {
  vigil = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'vigil-files-'));
});

afterAll(async () => {
  await vigil?.stop();
});

describe('file cameras', () => {
  it('plays a looped H.264 file by stream copy', async () => {
    const camera = await vigil.addCamera({ name: 'Looped', mainUrl: pathToFileURL(DEMO_CLIP).href });
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 20_000, 'live');
    expect(live.status.streams[0]).toMatchObject({ transcoded: false, width: 640, height: 360 });
  });

  it('transcodes a codec the browser cannot play (MS-MPEG4v3, as in old DVR exports) and says so', async () => {
    const avi = join(dir, 'dvr-export.avi');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=352x288:rate=10', '-t', '4', '-c:v', 'msmpeg4v3', avi]);
    const camera = await vigil.addCamera({ name: 'DVR export', mainUrl: pathToFileURL(avi).href });
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live' && c.status.streams[0]?.transcoded === true, 30_000, 'live, transcoded');
    expect(live.status.streams[0]).toMatchObject({ transcoded: true, sourceCodec: 'msmpeg4v3', width: 352, height: 288 });
    const capture = await captureLive(vigil.liveUrl(camera.id), 5);
    expect(parseInitSegment(capture.init!).fourcc).toBe('avc1');
    expect(capture.hellos[0]!.stream.transcoded).toBe(true);
  });

  it('reports NOT_VIDEO for a file that is not video, and NOT_FOUND for a missing one', async () => {
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'this is a shift report, not a video\n'.repeat(50));
    const notVideo = await vigil.addCamera({ name: 'Not video', mainUrl: pathToFileURL(text).href });
    const missing = await vigil.addCamera({ name: 'Missing', mainUrl: pathToFileURL(join(dir, 'gone.mp4')).href });
    expect((await vigil.waitForCamera(notVideo.id, (c) => c.status.reason !== null, 20_000)).status).toMatchObject({ state: 'error', reason: 'NOT_VIDEO' });
    expect((await vigil.waitForCamera(missing.id, (c) => c.status.reason !== null, 20_000)).status).toMatchObject({ state: 'error', reason: 'NOT_FOUND' });
  });

  it('refuses to play a codec when transcoding is turned off, with UNSUPPORTED_CODEC', async () => {
    const avi = join(dir, 'never.avi');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2', '-c:v', 'msmpeg4v3', avi]);
    const camera = await vigil.addCamera({ name: 'No transcode', mainUrl: pathToFileURL(avi).href, options: { liveTranscode: 'never' } });
    expect((await vigil.waitForCamera(camera.id, (c) => c.status.reason !== null, 20_000)).status).toMatchObject({ state: 'error', reason: 'UNSUPPORTED_CODEC' });
  });

  it('restarts a camera whose FFmpeg was killed from outside and keeps the engine running', async () => {
    const camera = await vigil.addCamera({ name: 'Killed', mainUrl: pathToFileURL(DEMO_CLIP).href });
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 20_000, 'live');
    // Find this camera's FFmpeg by its input file and kill it the way an OOM killer would.
    // Only this test process's children: other suites on the machine may play the same clip.
    const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', `ffmpeg.*${DEMO_CLIP}`], { encoding: 'utf8' }).trim().split('\n').map(Number);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const back = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live' && c.status.restarts >= 2, 30_000, 'live after kill');
    expect(back.status.restarts).toBeGreaterThanOrEqual(2);
    expect(vigil.logs.some((line) => line.includes('"Killed": KILLED'))).toBe(true);
  });
});
