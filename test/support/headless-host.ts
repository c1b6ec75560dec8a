// The real headless host as a child process (what `npm start` runs without a display), and
// Debian's Chromium driven by playwright-core against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT } from './test-engine';
import { modelDir } from './test-media';

export interface HostProcess {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  output: string[];
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

const HEADLESS_ENTRY = join(REPO_ROOT, 'out', 'main', 'headless.js');

export async function startHeadlessHost(args: string[] = []): Promise<HostProcess> {
  if (!existsSync(HEADLESS_ENTRY)) throw new Error('out/main/headless.js missing: run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [HEADLESS_ENTRY, '--headless', '--port', '0', '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.on('data', (data: Buffer) => output.push(data.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless host did not print its ready line:\n${output.join('')}`)), 30_000);
    child.stdout!.on('data', (data: Buffer) => {
      const line = /Vigil ready: (\S+)/.exec(data.toString());
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`headless host exited with ${code}:\n${output.join('')}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  return {
    url,
    port: Number(parsed.port),
    token,
    dataDir,
    output,
    async api(method, path, body) {
      const response = await fetch(`${parsed.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_PATH = process.env.VIGIL_CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

/**
 * For a test file on the demo site with the real model: Chromium and a headless host, started
 * before its tests and closed after them. Read `browser` and `host` inside the tests.
 */
export function demoHostInChromium(): { readonly browser: Browser; readonly host: HostProcess } {
  let browser: Browser | undefined;
  let host: HostProcess | undefined;
  beforeAll(async () => {
    modelDir(); // fails clearly when the model is not available
    browser = await launchChromium();
    host = await startHeadlessHost();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet (read it inside a test)');
      return browser;
    },
    get host() {
      if (!host) throw new Error('the headless host is not started yet (read it inside a test)');
      return host;
    },
  };
}
