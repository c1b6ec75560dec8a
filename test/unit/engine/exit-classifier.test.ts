import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NEEDS_OPERATOR, classifyExit, type ProcessEnd } from '../../../src/main/engine/cameras/exit-classifier';
import type { SourceKind } from '../../../src/shared/cameras';
import { CAMERA_REASONS, type CameraReason } from '../../../src/shared/reasons';

// Every stderr below comes from the real FFmpeg on PATH (Debian's 5.1), run against files in
// a temp dir or servers this test starts on 127.0.0.1. Nothing else is contacted.
const execFileAsync = promisify(execFile);
const DEMO = fileURLToPath(new URL('../../../resources/demo/vtest-640x360.mp4', import.meta.url));
const QUIET = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string[];
  elapsedMs: number;
}

/** Runs FFmpeg, splitting stderr into trimmed non-empty lines as the supervisor does. */
function ffmpeg(args: string[], options: { killAfterMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  const child = spawn('ffmpeg', [...QUIET, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (text += chunk));
  if (options.killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stderr: text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
        elapsedMs: Date.now() - started,
      }),
    );
  });
}

function end(run: Run, sourceKind: SourceKind, ioTimeoutMs = 5000): ProcessEnd {
  return { ...run, requestedStop: false, stalled: false, sourceKind, ioTimeoutMs };
}

function pure(overrides: Partial<ProcessEnd>): ProcessEnd {
  return {
    code: 1,
    signal: null,
    stderr: [],
    requestedStop: false,
    stalled: false,
    sourceKind: 'rtsp',
    elapsedMs: 200,
    ioTimeoutMs: 5000,
    ...overrides,
  };
}

let dir = '';
let httpServer: HttpServer;
let httpPort = 0;
let silentServer: TcpServer;
let silentPort = 0;
const silentSockets: Socket[] = [];
let rtspServer: TcpServer;
let rtspPort = 0;

function listen(server: HttpServer | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-exit-'));
  await writeFile(join(dir, 'notes.mp4'), 'this is a text file, not a video\n');
  await execFileAsync('ffmpeg', [...QUIET, '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', '-y', join(dir, 'audio.m4a')]);
  await execFileAsync('ffmpeg', [...QUIET, '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '1', '-c:v', 'msmpeg4v3', '-y', join(dir, 'old.avi')]);

  httpServer = createHttpServer((req, res) => {
    if (req.url === '/401') {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="camera"' });
      res.end('unauthorized');
    } else if (req.url === '/403') {
      res.writeHead(403);
      res.end('forbidden');
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  httpPort = await listen(httpServer);

  // Accepts connections and never says a word: a camera whose service hangs.
  silentServer = createTcpServer((socket) => {
    silentSockets.push(socket);
    socket.on('error', () => undefined);
  });
  silentPort = await listen(silentServer);

  // A minimal RTSP responder: OPTIONS succeeds, then /secret asks for credentials and anything else is not found.
  rtspServer = createTcpServer((socket) => {
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        const request = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const cseq = /CSeq:\s*(\d+)/i.exec(request)?.[1] ?? '0';
        if (request.startsWith('OPTIONS')) {
          socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`);
        } else if (/^\S+ \S*\/secret\b/.test(request)) {
          socket.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\nWWW-Authenticate: Basic realm="camera"\r\n\r\n`);
        } else {
          socket.write(`RTSP/1.0 404 Not Found\r\nCSeq: ${cseq}\r\n\r\n`);
        }
      }
    });
  });
  rtspPort = await listen(rtspServer);
}, 60_000);

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silentServer?.close(resolve));
  await new Promise((resolve) => rtspServer?.close(resolve));
  await new Promise((resolve) => httpServer?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('classifyExit with real FFmpeg 5.1 stderr', () => {
  it('RTSP connection refused -> REFUSED', async () => {
    const run = await ffmpeg(['-rtsp_transport', 'tcp', '-timeout', '1000000', '-i', 'rtsp://127.0.0.1:1/x', '-f', 'null', '-']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.join('\n')).toMatch(/Connection refused/);
    expect(classifyExit(end(run, 'rtsp'))).toBe('REFUSED');
  }, 20_000);

  it('HTTP connection refused -> REFUSED', async () => {
    const run = await ffmpeg(['-rw_timeout', '3000000', '-i', 'http://127.0.0.1:1/video.mjpg', '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/Connection refused/);
    expect(classifyExit(end(run, 'http'))).toBe('REFUSED');
  }, 20_000);

  // BUG (see report): the rules also match the URL FFmpeg echoes, so a Hikvision channel-4 path
  // (/Streaming/Channels/401) turns a refused connection into AUTH_FAILED.
  it('RTSP connection refused on a path that contains 401 -> still REFUSED', async () => {
    const run = await ffmpeg(['-rtsp_transport', 'tcp', '-timeout', '1000000', '-i', 'rtsp://127.0.0.1:1/Streaming/Channels/401', '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/Connection refused/);
    expect(classifyExit(end(run, 'rtsp'))).toBe('REFUSED');
  }, 20_000);

  it('file not found -> NOT_FOUND', async () => {
    const run = await ffmpeg(['-i', join(dir, 'missing.mp4'), '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/No such file or directory/);
    expect(classifyExit(end(run, 'file'))).toBe('NOT_FOUND');
  }, 20_000);

  it('a text file named .mp4 -> NOT_VIDEO', async () => {
    const run = await ffmpeg(['-i', join(dir, 'notes.mp4'), '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/Invalid data found when processing input|moov atom not found/);
    expect(classifyExit(end(run, 'file'))).toBe('NOT_VIDEO');
  }, 20_000);

  it('an audio-only file mapped with -map 0:v:0 -> NOT_VIDEO', async () => {
    const run = await ffmpeg(['-i', join(dir, 'audio.m4a'), '-map', '0:v:0', '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/matches no streams/);
    expect(classifyExit(end(run, 'file'))).toBe('NOT_VIDEO');
  }, 20_000);

  it('msmpeg4v3 in AVI copied into MP4 -> UNSUPPORTED_CODEC', async () => {
    const run = await ffmpeg(['-i', join(dir, 'old.avi'), '-map', '0:v:0', '-c:v', 'copy', '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame', '-y', join(dir, 'out.mp4')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.join('\n')).toMatch(/Could not find tag for codec msmpeg4v3/);
    expect(classifyExit(end(run, 'file'))).toBe('UNSUPPORTED_CODEC');
  }, 20_000);

  it('HTTP 401 -> AUTH_FAILED', async () => {
    const run = await ffmpeg(['-rw_timeout', '3000000', '-i', `http://127.0.0.1:${httpPort}/401`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/401 Unauthorized/);
    expect(classifyExit(end(run, 'http'))).toBe('AUTH_FAILED');
  }, 20_000);

  it('HTTP 403 -> AUTH_FAILED', async () => {
    const run = await ffmpeg(['-rw_timeout', '3000000', '-i', `http://127.0.0.1:${httpPort}/403`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/403 Forbidden/);
    expect(classifyExit(end(run, 'http'))).toBe('AUTH_FAILED');
  }, 20_000);

  it('HTTP 404 -> NOT_FOUND (MJPEG and HLS)', async () => {
    const mjpeg = await ffmpeg(['-rw_timeout', '3000000', '-i', `http://127.0.0.1:${httpPort}/x`, '-f', 'null', '-']);
    expect(mjpeg.stderr.join('\n')).toMatch(/404 Not Found/);
    expect(classifyExit(end(mjpeg, 'http'))).toBe('NOT_FOUND');
    const hls = await ffmpeg(['-rw_timeout', '3000000', '-i', `http://127.0.0.1:${httpPort}/live/index.m3u8`, '-f', 'null', '-']);
    expect(classifyExit(end(hls, 'hls'))).toBe('NOT_FOUND');
  }, 20_000);

  it('RTSP 401 (wrong password) -> AUTH_FAILED', async () => {
    const run = await ffmpeg(['-rtsp_transport', 'tcp', '-timeout', '1000000', '-i', `rtsp://admin:wrong@127.0.0.1:${rtspPort}/secret`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/DESCRIBE failed: 401 Unauthorized/);
    expect(classifyExit(end(run, 'rtsp'))).toBe('AUTH_FAILED');
  }, 20_000);

  it('RTSP 404 (wrong path) -> NOT_FOUND', async () => {
    const run = await ffmpeg(['-rtsp_transport', 'tcp', '-timeout', '1000000', '-i', `rtsp://127.0.0.1:${rtspPort}/nope`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/DESCRIBE failed: 404 Not Found/);
    expect(classifyExit(end(run, 'rtsp'))).toBe('NOT_FOUND');
  }, 20_000);

  it('RTSP server that accepts and never answers -> TIMEOUT (FFmpeg 5 says "Invalid data found")', async () => {
    const run = await ffmpeg(['-rtsp_transport', 'tcp', '-timeout', '1000000', '-i', `rtsp://127.0.0.1:${silentPort}/x`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/Invalid data found when processing input/);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(classifyExit(end(run, 'rtsp', 1000))).toBe('TIMEOUT');
    // The same words after a short run mean the source really is not video.
    expect(classifyExit(end({ ...run, elapsedMs: 100 }, 'rtsp', 1000))).toBe('NOT_VIDEO');
    // And from a file, however long it took.
    expect(classifyExit(end(run, 'file', 1000))).toBe('NOT_VIDEO');
  }, 20_000);

  it('HTTP server that accepts and never answers -> TIMEOUT ("Connection timed out")', async () => {
    const run = await ffmpeg(['-rw_timeout', '1000000', '-i', `http://127.0.0.1:${silentPort}/video.mjpg`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/Connection timed out/);
    expect(classifyExit(end(run, 'http', 1000))).toBe('TIMEOUT');
  }, 20_000);

  it('RTMP server that accepts and never answers -> TIMEOUT', async () => {
    const run = await ffmpeg(['-rw_timeout', '1000000', '-i', `rtmp://127.0.0.1:${silentPort}/live/x`, '-f', 'null', '-']);
    expect(run.stderr.join('\n')).toMatch(/timed out/);
    expect(classifyExit(end(run, 'rtmp', 1000))).toBe('TIMEOUT');
  }, 20_000);

  it('killed from outside with SIGKILL -> KILLED', async () => {
    const run = await ffmpeg(['-re', '-i', DEMO, '-f', 'null', '-'], { killAfterMs: 300 });
    expect(run.signal).toBe('SIGKILL');
    expect(run.stderr).toEqual([]);
    expect(classifyExit(end(run, 'file'))).toBe('KILLED');
  }, 20_000);

  it('a source that ends normally (exit 0) -> ENDED', async () => {
    const run = await ffmpeg(['-i', DEMO, '-frames:v', '2', '-f', 'null', '-']);
    expect(run.code).toBe(0);
    expect(classifyExit(end(run, 'file'))).toBe('ENDED');
  }, 20_000);
});

describe('classifyExit: pure cases', () => {
  it('requested stop -> null, whatever was printed', () => {
    expect(classifyExit(pure({ requestedStop: true, signal: 'SIGKILL', code: null }))).toBeNull();
    expect(classifyExit(pure({ requestedStop: true, stderr: ['rtsp://127.0.0.1:1/x: Connection refused'] }))).toBeNull();
    expect(classifyExit(pure({ requestedStop: true, stalled: true }))).toBeNull();
  });

  it('stalled -> STALLED, even when the kill printed something', () => {
    expect(classifyExit(pure({ stalled: true, signal: 'SIGKILL', code: null }))).toBe('STALLED');
    expect(classifyExit(pure({ stalled: true, stderr: ['Connection timed out'] }))).toBe('STALLED');
  });

  it('SIGKILL (or SIGTERM) with no message -> KILLED', () => {
    expect(classifyExit(pure({ signal: 'SIGKILL', code: null }))).toBe('KILLED');
    expect(classifyExit(pure({ signal: 'SIGTERM', code: null }))).toBe('KILLED');
  });

  it('a message wins over the signal', () => {
    expect(classifyExit(pure({ signal: 'SIGKILL', code: null, stderr: ['rtsp://127.0.0.1:1/x: Connection refused'] }))).toBe('REFUSED');
  });

  it('exit 0 -> ENDED; other exits -> CRASHED', () => {
    expect(classifyExit(pure({ code: 0 }))).toBe('ENDED');
    expect(classifyExit(pure({ code: 1, stderr: ['something nobody has seen before'] }))).toBe('CRASHED');
    expect(classifyExit(pure({ code: 139 }))).toBe('CRASHED');
    expect(classifyExit(pure({ code: null, signal: 'SIGSEGV' }))).toBe('CRASHED');
  });

  it('name resolution failure (FFmpeg 5.1 text) -> UNREACHABLE', () => {
    const stderr = ['[tcp @ 0x55c42c74f840] Failed to resolve hostname cam-lobby.invalid: Name or service not known', 'rtsp://cam-lobby.invalid/x: Input/output error'];
    expect(classifyExit(pure({ stderr }))).toBe('UNREACHABLE');
    expect(classifyExit(pure({ stderr: ['Failed to resolve hostname cam: Temporary failure in name resolution'] }))).toBe('UNREACHABLE');
    expect(classifyExit(pure({ stderr: ['Connection to tcp://10.0.0.9:554 failed: No route to host'] }))).toBe('UNREACHABLE');
    expect(classifyExit(pure({ stderr: ['Connection to tcp://10.0.0.9:554 failed: Network is unreachable'] }))).toBe('UNREACHABLE');
  });

  it('a busy capture device -> DEVICE_BUSY', () => {
    const stderr = ['[video4linux2,v4l2 @ 0x5600] ioctl(VIDIOC_STREAMON): Device or resource busy', '/dev/video0: Device or resource busy'];
    expect(classifyExit(pure({ stderr, sourceKind: 'device' }))).toBe('DEVICE_BUSY');
  });

  it('the TIMEOUT exception needs a network source, enough elapsed time and "Invalid data"', () => {
    const invalid = ['rtsp://127.0.0.1:554/x: Invalid data found when processing input'];
    expect(classifyExit(pure({ stderr: invalid, elapsedMs: 4500, ioTimeoutMs: 5000 }))).toBe('TIMEOUT');
    expect(classifyExit(pure({ stderr: invalid, elapsedMs: 4499, ioTimeoutMs: 5000 }))).toBe('NOT_VIDEO');
    expect(classifyExit(pure({ stderr: invalid, elapsedMs: 6000, sourceKind: 'device' }))).toBe('NOT_VIDEO');
    expect(classifyExit(pure({ stderr: ["Stream map '0:v:0' matches no streams."], elapsedMs: 6000 }))).toBe('NOT_VIDEO');
  });
});

describe('NEEDS_OPERATOR', () => {
  it('holds the reasons a retry will not fix', () => {
    expect([...NEEDS_OPERATOR].sort()).toEqual(
      ['AUTH_FAILED', 'DEVICE_BUSY', 'FFMPEG_MISSING', 'NOT_FOUND', 'NOT_VIDEO', 'RESOLUTION_UNSUPPORTED', 'UNSUPPORTED_CODEC'].sort(),
    );
  });

  it('leaves out transient network and process reasons', () => {
    for (const reason of ['REFUSED', 'TIMEOUT', 'UNREACHABLE', 'STALLED', 'KILLED', 'CRASHED', 'ENDED'] as CameraReason[]) {
      expect(NEEDS_OPERATOR.has(reason)).toBe(false);
    }
  });

  it('only holds known reason codes', () => {
    for (const reason of NEEDS_OPERATOR) expect(Object.keys(CAMERA_REASONS)).toContain(reason);
  });
});
