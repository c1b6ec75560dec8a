// An engine started in-process for integration and e2e tests: real SQLite in a temp data
// directory, real FFmpeg, a real HTTP/WebSocket API on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { CameraCreate, CameraView } from '../../src/shared/cameras';
import { startEngine, type Engine, type EngineOptions } from '../../src/main/engine/engine';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const DEMO_CLIP = join(REPO_ROOT, 'resources', 'demo', 'vtest-640x360.mp4');

export interface TestEngine {
  engine: Engine;
  dataDir: string;
  logs: string[];
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  addCamera(input: CameraCreate): Promise<CameraView>;
  camera(id: string): Promise<CameraView>;
  waitForCamera(id: string, predicate: (camera: CameraView) => boolean, timeoutMs?: number, what?: string): Promise<CameraView>;
  liveUrl(id: string, role?: 'main' | 'sub'): string;
  stop(): Promise<void>;
}

export async function startTestEngine(options: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const logs: string[] = [];
  const engine = await startEngine({
    dataDir,
    port: 0,
    rendererDir: null,
    resourcesDir: join(REPO_ROOT, 'resources'),
    appDir: REPO_ROOT,
    detection: false,
    demoSite: false,
    log: (line) => logs.push(line),
    ...options,
  });
  const base = `http://127.0.0.1:${engine.port}`;
  const api: TestEngine['api'] = async (method, path, body, headers = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${engine.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
  };
  const camera = async (id: string) => {
    const result = await api<CameraView>('GET', `/api/cameras/${id}`);
    if (result.status !== 200) throw new Error(`GET camera ${id}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };
  return {
    engine,
    dataDir,
    logs,
    api,
    camera,
    async addCamera(input) {
      const result = await api<CameraView>('POST', '/api/cameras', input);
      if (result.status !== 201) throw new Error(`POST camera: ${result.status} ${JSON.stringify(result.body)}`);
      return result.body;
    },
    async waitForCamera(id, predicate, timeoutMs = 30_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      let last: CameraView | null = null;
      while (Date.now() < deadline) {
        last = await camera(id);
        if (predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`camera ${id}: timed out waiting for ${what}; last status ${JSON.stringify(last?.status)}`);
    },
    liveUrl: (id, role = 'sub') => `ws://127.0.0.1:${engine.port}/api/live?camera=${id}&stream=${role}&token=${engine.token}`,
    async stop() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a live WebSocket viewer received: the hello, the init segment and media fragments. */
export interface LiveCapture {
  hellos: { stream: { mime: string | null; transcoded: boolean } }[];
  init: Buffer | null;
  fragments: Buffer[];
}

/** Connects as a viewer and collects until `fragments` media fragments arrived. */
export function captureLive(url: string, fragments: number, timeoutMs = 20_000): Promise<LiveCapture> {
  return new Promise((resolvePromise, reject) => {
    const capture: LiveCapture = { hellos: [], init: null, fragments: [] };
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`live capture: only ${capture.fragments.length}/${fragments} fragments in ${timeoutMs} ms (init ${capture.init ? 'yes' : 'no'})`));
    }, timeoutMs);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        capture.hellos.push(JSON.parse(data.toString()));
        return;
      }
      const buffer = data as Buffer;
      if (!capture.init) capture.init = buffer;
      else capture.fragments.push(buffer);
      if (capture.fragments.length >= fragments) {
        clearTimeout(timer);
        ws.close();
        resolvePromise(capture);
      }
    });
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('close', (code) => {
      if (capture.fragments.length < fragments) {
        clearTimeout(timer);
        reject(new Error(`live socket closed early with code ${code}`));
      }
    });
  });
}

/** Polls `probe` every 200 ms until it returns something truthy; fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
