// Real FFmpeg against a real RTSP server (GStreamer's), through the whole engine: supervisor,
// stream hub and the live WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fragmentIsKeyframe, parseInitSegment } from '../../src/main/engine/live/fmp4';
import { startRtspServer, type RtspServer } from '../harness/rtsp-server';
import { captureLive, DEMO_CLIP, startTestEngine, type TestEngine } from '../support/test-engine';

const USER = 'operator';
const PASSWORD = 'S3cret-Gate2';

let rtsp: RtspServer;
let vigil: TestEngine;

beforeAll(async () => {
  rtsp = await startRtspServer({ file: DEMO_CLIP, user: USER, password: PASSWORD });
  vigil = await startTestEngine();
});

afterAll(async () => {
  await vigil?.stop();
  await rtsp?.stop();
});

function moofOf(fragment: Buffer): Buffer {
  return fragment.subarray(0, fragment.readUInt32BE(0));
}

describe('RTSP camera through the engine', () => {
  it('goes live and streams fMP4 that starts with an init segment and a keyframe', async () => {
    const camera = await vigil.addCamera({ name: 'Gate 1', mainUrl: rtsp.url('/cam') });
    expect(camera.sourceKind).toBe('rtsp');
    const live = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    expect(live.status.streams[0]).toMatchObject({ role: 'main', width: 640, height: 360, transcoded: false, sourceCodec: 'avc1' });
    expect(live.status.streams[0]!.mime).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}"$/);

    const capture = await captureLive(vigil.liveUrl(camera.id), 25);
    expect(capture.hellos[0]!.stream.mime).toBe(live.status.streams[0]!.mime);
    const init = parseInitSegment(capture.init!);
    expect(init).toMatchObject({ fourcc: 'avc1', width: 640, height: 360 });
    // A late joiner starts at a keyframe; every message is one moof+mdat.
    expect(fragmentIsKeyframe(moofOf(capture.fragments[0]!), init.defaultSampleFlags)).toBe(true);
    for (const fragment of capture.fragments) expect(fragment.toString('latin1', 4, 8)).toBe('moof');
  });

  it('comes back by itself after the RTSP server is killed and restarted', async () => {
    const camera = await vigil.addCamera({ name: 'Gate 2', mainUrl: rtsp.url('/cam') });
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    const port = rtsp.port;
    await rtsp.kill();
    const down = await vigil.waitForCamera(camera.id, (c) => c.status.state !== 'live', 30_000, 'not live');
    expect(['reconnecting', 'offline']).toContain(down.status.state);
    expect(down.status.reason).not.toBeNull();
    rtsp = await startRtspServer({ file: DEMO_CLIP, port, user: USER, password: PASSWORD });
    const back = await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 60_000, 'live again');
    expect(back.status.restarts).toBeGreaterThan(1);
    const capture = await captureLive(vigil.liveUrl(camera.id), 5);
    expect(capture.fragments).toHaveLength(5);
  });

  it('reports NOT_FOUND for a wrong path and REFUSED for a wrong port', async () => {
    const wrongPath = await vigil.addCamera({ name: 'Wrong path', mainUrl: rtsp.url('/no-such-stream') });
    const closedPort = await vigil.addCamera({ name: 'Wrong port', mainUrl: 'rtsp://127.0.0.1:1/cam' });
    const notFound = await vigil.waitForCamera(wrongPath.id, (c) => c.status.reason !== null, 30_000, 'a reason');
    expect(notFound.status).toMatchObject({ state: 'error', reason: 'NOT_FOUND' });
    const refused = await vigil.waitForCamera(closedPort.id, (c) => c.status.reason !== null, 30_000, 'a reason');
    expect(refused.status.reason).toBe('REFUSED');
    expect(['reconnecting', 'offline']).toContain(refused.status.state);
    expect(refused.status.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
  });

  it('reports AUTH_FAILED for a wrong password and never shows the password', async () => {
    const wrong = await vigil.addCamera({ name: 'Secure wrong', mainUrl: rtsp.url('/secure', { user: USER, password: 'not-the-password' }) });
    const right = await vigil.addCamera({ name: 'Secure right', mainUrl: rtsp.url('/secure', { user: USER, password: PASSWORD }) });
    const failed = await vigil.waitForCamera(wrong.id, (c) => c.status.reason !== null, 30_000, 'a reason');
    expect(failed.status).toMatchObject({ state: 'error', reason: 'AUTH_FAILED' });
    await vigil.waitForCamera(right.id, (c) => c.status.state === 'live', 30_000, 'live');

    const everything = JSON.stringify([(await vigil.api('GET', '/api/cameras')).body, (await vigil.api('GET', '/api/health')).body, vigil.logs]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('not-the-password');
    expect(right.mainUrl).toBe(`rtsp://${USER}:***@127.0.0.1:${rtsp.port}/secure`);
  });

  it('keeps the other cameras live and the engine healthy through all of the above', async () => {
    const health = await vigil.api<{ ok: boolean; cameras: { name: string; state: string }[] }>('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
    const states = Object.fromEntries(health.body.cameras.map((c) => [c.name, c.state]));
    expect(states['Gate 1']).toBe('live');
    expect(states['Secure right']).toBe('live');
  });
});
