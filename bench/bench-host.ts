// The real headless host as the benchmarks run it: a child process with its own data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface BenchHost {
  process: ChildProcess;
  url: URL;
  token: string;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchHost(): Promise<BenchHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  // VIGIL_BENCH_NODE_ARGS (e.g. --cpu-prof) profiles the engine process.
  const nodeArgs = process.env.VIGIL_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const host = spawn(process.execPath, [...nodeArgs, join(ROOT, 'out/main/headless.js'), '--headless', '--no-demo', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<URL>((resolvePromise, reject) => {
    host.stdout!.on('data', (data: Buffer) => {
      const match = /Vigil ready: (\S+)/.exec(data.toString());
      if (match) resolvePromise(new URL(match[1]!));
    });
    host.once('exit', (code) => reject(new Error(`headless host exited (${code})`)));
  });
  const token = url.searchParams.get('token')!;
  return {
    process: host,
    url,
    token,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(url.origin + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return (await response.json()) as T;
    },
    async stop() {
      host.kill('SIGTERM');
      await new Promise((r) => host.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
