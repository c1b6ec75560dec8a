// A real RTSP camera for integration tests and benchmarks: spawns test/harness/rtsp-server.py
// (GStreamer's gst-rtsp-server), which loops an MP4's H.264 track forever in real time on /cam
// (open) and /secure (Basic auth when user/password are given).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Debian's python: the pyenv one on PATH has no gi bindings.
const PYTHON = '/usr/bin/python3';
const SCRIPT = findScript();
const READY_TIMEOUT_MS = 20_000;
// A restart on the same port can find it still held for a moment (the old process's sockets);
// the script exits with 98 (EADDRINUSE) and we try again for this long.
const PORT_IN_USE_EXIT = 98;
const PORT_RETRY_MS = 5_000;

export interface RtspServerOptions {
  /** An MP4 with an H.264 video track, e.g. resources/demo/vtest-640x360.mp4. */
  file: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Both or neither: then /secure requires RTSP Basic auth. */
  user?: string;
  password?: string;
}

export interface RtspServer {
  port: number;
  /** rtsp://127.0.0.1:PORT/cam by default; creds go URL-encoded into the authority. */
  url(path?: string, creds?: { user: string; password: string }): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crashed camera), then waits for the exit. */
  kill(): Promise<void>;
}

export async function startRtspServer(opts: RtspServerOptions): Promise<RtspServer> {
  if ((opts.user === undefined) !== (opts.password === undefined)) {
    throw new Error('startRtspServer: user and password go together');
  }
  const deadline = Date.now() + PORT_RETRY_MS;
  for (;;) {
    try {
      return await spawnOnce(opts);
    } catch (err) {
      if (!(err instanceof PortInUseError) || !opts.port || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A port that was free a moment ago (the OS may hand it out again, so use it soon). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('freePort: no port'))));
    });
  });
}

class PortInUseError extends Error {}

/** Next to this file, or, once bundled elsewhere (out/bench/), in the repo above the bundle. */
function findScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'rtsp-server.py'))) return join(here, 'rtsp-server.py');
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'harness', 'rtsp-server.py');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(process.cwd(), 'test', 'harness', 'rtsp-server.py');
  }
}

function spawnOnce(opts: RtspServerOptions): Promise<RtspServer> {
  const args = [SCRIPT, '--port', String(opts.port ?? 0), '--file', opts.file, '--exit-with-stdin'];
  if (opts.user !== undefined && opts.password !== undefined) args.push('--user', opts.user, '--password', opts.password);
  // stdin stays an open pipe: when this process dies, it closes and the server exits with it.
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_000);
    if (process.env.RTSP_SERVER_DEBUG) process.stderr.write(chunk);
  });

  return new Promise<RtspServer>((resolve, reject) => {
    let stdout = '';
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`rtsp-server: no READY within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr}`)), READY_TIMEOUT_MS);
    child.once('error', (err) => fail(new Error(`rtsp-server: cannot spawn ${PYTHON}: ${err.message}`)));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const msg = `rtsp-server exited before READY (code ${code}, signal ${signal}); stderr:\n${stderr}`;
      fail(code === PORT_IN_USE_EXIT ? new PortInUseError(msg) : new Error(msg));
    };
    child.once('exit', onEarlyExit);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const m = /^READY (\d+)$/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.removeListener('exit', onEarlyExit);
      child.stdout.removeAllListeners('data');
      child.stdout.resume(); // keep draining, so the child never blocks on a full pipe
      resolve(handle(child, Number(m[1]), exited));
    });
  });
}

const STOP_GRACE_MS = 5_000;

function handle(child: ChildProcess, port: number, exited: Promise<void>): RtspServer {
  const running = () => child.exitCode === null && child.signalCode === null;
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (running()) child.kill(signal);
    // A teardown that hangs must not hang the test suite: escalate after a grace period.
    const escalate = setTimeout(() => running() && child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(escalate);
  };
  return {
    port,
    url(path = '/cam', creds) {
      const auth = creds ? `${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@` : '';
      return `rtsp://${auth}127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`;
    },
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
  };
}
