// Proves the RTSP test camera (test/harness/rtsp-server.*) with real FFmpeg clients, so that the
// integration tests and benchmarks built on it can trust it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRtspServer, freePort, type RtspServer } from '../harness/rtsp-server';

const DEMO = fileURLToPath(new URL('../../resources/demo/vtest-640x360.mp4', import.meta.url));
const CREDS = { user: 'op', password: 's3cret:/@' }; // URL-special characters on purpose

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

function run(cmd: string, args: string[]): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - t0 }));
  });
}

/** Reads `seconds` of the stream without decoding, as the app's ingest does. */
function readStream(url: string, seconds: number): Promise<Run> {
  return run('ffmpeg', ['-nostdin', '-hide_banner', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-i', url, '-t', String(seconds), '-c', 'copy', '-f', 'null', '-']);
}

/** A raw RTSP connection that sends OPTIONS and then stays open, idle. */
async function rtspOptions(port: number): Promise<{ reply: string; closed: Promise<void> }> {
  const sock = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  sock.write('OPTIONS rtsp://127.0.0.1/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n');
  const reply = await new Promise<string>((resolve) => sock.once('data', (d: Buffer) => resolve(d.toString())));
  return { reply, closed };
}

/** The frame count of FFmpeg's final progress line. */
function frames(r: Run): number {
  const all = [...r.stderr.matchAll(/frame=\s*(\d+)/g)];
  return Number(all.at(-1)?.[1] ?? 0);
}

describe('RTSP test camera (gst-rtsp-server)', () => {
  let server: RtspServer;
  beforeAll(async () => {
    server = await startRtspServer({ file: DEMO, ...CREDS });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves /cam as H.264 640x360 that FFmpeg can read', async () => {
    const [r, probe] = await Promise.all([
      readStream(server.url(), 3),
      run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', server.url()]),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(frames(r)).toBeGreaterThanOrEqual(25); // 10 fps
    expect(probe.code, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout).streams[0]).toEqual({ codec_name: 'h264', width: 640, height: 360 });
  });

  it('serves several clients at once', async () => {
    const rs = await Promise.all([readStream(server.url(), 3), readStream(server.url(), 3), readStream(server.url('/cam', CREDS), 3)]);
    for (const r of rs) {
      expect(r.code, r.stderr).toBe(0);
      expect(frames(r)).toBeGreaterThanOrEqual(25);
    }
  });

  it('requires Basic auth on /secure only', async () => {
    const anon = await readStream(server.url('/secure'), 1);
    expect(anon.code).not.toBe(0);
    expect(anon.stderr).toContain('401');

    const wrong = await readStream(server.url('/secure', { user: CREDS.user, password: 'nope' }), 1);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('401');

    const right = await readStream(server.url('/secure', CREDS), 2);
    expect(right.code, right.stderr).toBe(0);
    expect(frames(right)).toBeGreaterThan(10);
  });

  it('answers 404 for an unknown path', async () => {
    const r = await readStream(server.url('/nope'), 1);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('404');
  });
});

describe('RTSP test camera: looping and restarts', () => {
  let dir: string;
  let clip: string;
  beforeAll(async () => {
    // A 2 s clip (10 fps, keyframe every 1 s, no B-frames, like a camera) to watch it wrap.
    dir = mkdtempSync(join(tmpdir(), 'vigil-rtsp-'));
    clip = join(dir, 'clip-2s.mp4');
    const r = await run('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', '2', '-c:v', 'libx264', '-g', '10', '-bf', '0', '-pix_fmt', 'yuv420p', clip]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loops a short clip seamlessly, in real time', async () => {
    const server = await startRtspServer({ file: clip });
    try {
      const r = await readStream(server.url(), 6); // three times the clip
      expect(r.code, r.stderr).toBe(0);
      expect(frames(r)).toBeGreaterThanOrEqual(57);
      expect(frames(r)).toBeLessThanOrEqual(63);
      // Seamless: timestamps keep increasing across every wrap.
      expect(r.stderr).not.toMatch(/non monotonically increasing|Non-monotonous/i);
      expect(r.wallMs).toBeGreaterThan(5_500); // paced like a live camera, not read at disk speed
    } finally {
      await server.stop();
    }
  });

  it('restarts on the same port after stop and after kill', async () => {
    const port = await freePort();
    let server = await startRtspServer({ file: clip, port });
    expect(server.port).toBe(port);
    expect(server.url()).toBe(`rtsp://127.0.0.1:${port}/cam`);

    // Stop with clients connected. The idle one makes the server close first, which leaves its
    // side in TIME_WAIT on the port: the restart must bind regardless (SO_REUSEADDR).
    const idle = await rtspOptions(port);
    expect(idle.reply).toMatch(/^RTSP\/1\.0 200 OK/);
    const cut = readStream(server.url(), 30);
    await new Promise((r) => setTimeout(r, 2_000));
    await server.stop();
    await idle.closed;
    expect((await cut).wallMs).toBeLessThan(15_000); // the streaming client saw the camera go

    server = await startRtspServer({ file: clip, port });
    expect(server.port).toBe(port);
    const afterStop = await readStream(server.url(), 1);
    expect(afterStop.code, afterStop.stderr).toBe(0);

    await server.kill();
    const down = await readStream(server.url(), 1);
    expect(down.code).not.toBe(0); // nothing listening

    server = await startRtspServer({ file: clip, port });
    try {
      const afterKill = await readStream(server.url(), 1);
      expect(afterKill.code, afterKill.stderr).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('reports a clear error when the port is taken for good', async () => {
    const holder = await startRtspServer({ file: clip });
    try {
      const t0 = Date.now();
      await expect(startRtspServer({ file: clip, port: holder.port })).rejects.toThrow(/in use/i);
      expect(Date.now() - t0).toBeGreaterThan(4_000); // it retried before giving up
    } finally {
      await holder.stop();
    }
  });
});
