// Network camera stand-ins on 127.0.0.1 for integration tests: FFmpeg itself as an RTMP or
// HTTP-MJPEG server (its -listen mode, respawned after each client since it serves one), FFmpeg
// writing a live HLS playlist, a static file server for that playlist, and a Node MJPEG server
// that can go silent mid-stream like a hung camera. Everything binds to loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const LOOPBACK = '127.0.0.1';

/** Every child spawned here, so that a crashed test run still leaves no FFmpeg behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Whether something listens on 127.0.0.1:port, read from /proc/net/tcp (Linux). Connecting to
 * find out would use up the one client an FFmpeg -listen server accepts.
 */
export function listeningOn(port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1] === local && fields[3] === '0A'; // 0A: TCP_LISTEN
    });
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface FfmpegServer {
  port: number;
  /** How many times FFmpeg was started (once per client served, plus one waiting). */
  readonly spawns: number;
  /** Last lines of stderr of the current or last process. */
  readonly stderr: string;
  /** SIGKILL, no respawn; resolves when the process is gone. */
  stop(): Promise<void>;
}

/**
 * Runs `ffmpeg ARGS` whose output is a -listen 1 server on 127.0.0.1:port, and starts it again
 * whenever it exits (it serves exactly one client). Resolves once it listens.
 */
export async function startFfmpegServer(args: string[], port: number, readyTimeoutMs = 10_000): Promise<FfmpegServer> {
  let stopped = false;
  let spawns = 0;
  let stderr = '';
  let current: ChildProcess;
  let respawnTimer: NodeJS.Timeout | null = null;
  const launch = () => {
    respawnTimer = null;
    if (stopped) return;
    spawns++;
    stderr = '';
    const child = track(spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'warning', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.once('exit', () => {
      // The client left (or never came): be ready for the next one.
      if (!stopped) respawnTimer = setTimeout(launch, 100);
    });
    current = child;
  };
  launch();
  const server: FfmpegServer = {
    port,
    get spawns() {
      return spawns;
    },
    get stderr() {
      return stderr;
    },
    async stop() {
      stopped = true;
      if (respawnTimer) clearTimeout(respawnTimer);
      await killAndWait(current);
    },
  };
  try {
    await waitFor(`ffmpeg to listen on ${LOOPBACK}:${port}`, () => listeningOn(port), readyTimeoutMs, () => `; stderr:\n${stderr}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

export interface HlsWriter {
  dir: string;
  playlist: string;
  stop(): Promise<void>;
}

/**
 * FFmpeg looping `clip` in real time into dir/live.m3u8, a sliding window of short segments as a
 * live HLS camera or restreamer publishes it. Resolves once the playlist lists `minSegments`.
 */
export async function startHlsWriter(clip: string, dir: string, minSegments = 2, readyTimeoutMs = 20_000): Promise<HlsWriter> {
  const playlist = join(dir, 'live.m3u8');
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'warning',
    '-re', '-stream_loop', '-1', '-i', clip, '-c', 'copy',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '5', '-hls_flags', 'delete_segments',
    '-hls_segment_filename', join(dir, 'seg-%05d.ts'),
    playlist,
  ];
  const child = track(spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const stop = () => killAndWait(child);
  const segments = () => (existsSync(playlist) ? (readFileSync(playlist, 'utf8').match(/^#EXTINF:/gm) ?? []).length : 0);
  try {
    await waitFor(`${minSegments} HLS segments in ${playlist}`, () => {
      if (!running(child)) throw new Error(`HLS writer exited (${child.exitCode}); stderr:\n${stderr}`);
      return segments() >= minSegments;
    }, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, playlist, stop };
}

export interface HttpSource {
  port: number;
  url(path: string): string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

function listen(server: Server, requests: string[]): Promise<HttpSource> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        url: (path) => `http://${LOOPBACK}:${port}${path.startsWith('/') ? path : `/${path}`}`,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mp4': 'video/mp4',
};

/** A plain static file server for `dir` (enough for HLS). */
export function serveDirectory(dir: string): Promise<HttpSource> {
  const requests: string[] = [];
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname);
    requests.push(path);
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    // A playlist is rewritten every segment: never cached, read whole before it changes again.
    const body = extname(file) === '.m3u8' ? readFileSync(file) : null;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'content-length': body ? body.length : statSync(file).size,
    });
    if (body) res.end(body);
    else createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return listen(server, requests);
}

export interface MjpegOptions {
  /** Complete JPEG images, sent in turn (and looped). */
  frames: Buffer[];
  fps: number;
  /**
   * After this many frames on a connection, send nothing more but keep it open: a camera
   * whose encoder hung while its TCP stack still answers. Absent: stream forever.
   */
  stallAfterFrames?: number;
}

const BOUNDARY = 'vigilframe';

export interface MjpegSource extends HttpSource {
  /** Date.now() when each stalled connection sent its last frame. */
  readonly silentSince: number[];
}

/** An IP camera's MJPEG endpoint: multipart/x-mixed-replace, one JPEG per part, any path. */
export async function serveMjpeg(opts: MjpegOptions): Promise<MjpegSource> {
  const requests: string[] = [];
  const silentSince: number[] = [];
  const server = createServer((req, res: ServerResponse) => {
    requests.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'cache-control': 'no-cache', connection: 'close' });
    let sent = 0;
    const timer = setInterval(() => {
      const frame = opts.frames[sent % opts.frames.length]!;
      sent++;
      res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
      res.write(frame);
      res.write('\r\n');
      if (sent === opts.stallAfterFrames) {
        clearInterval(timer); // silent from here on; the socket stays open
        silentSince.push(Date.now());
      }
    }, 1000 / opts.fps);
    res.on('close', () => clearInterval(timer));
  });
  return { ...(await listen(server, requests)), silentSince };
}
