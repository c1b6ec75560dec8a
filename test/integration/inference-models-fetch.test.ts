// `npm run models:fetch` against servers on 127.0.0.1 only: one serving the real model, one
// serving wrong bytes, one that never answers, and a port with nothing behind it (offline).
// The internet is never contacted: every run points the script at a local URL.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve(__dirname, '../../scripts/models-fetch.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function fetchModels(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    // HOME and XDG_DATA_HOME point at a temp dir: a default-dir run must not touch the real one.
    const child = execFile(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, 'xdg'), ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

let home: string;
let model: Buffer;
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  const modelPath = process.env.VIGIL_MODEL_PATH;
  if (!modelPath) throw new Error('VIGIL_MODEL_PATH is not set: point it at the directory holding yolox_nano.onnx (npm test sets it to ../shared/models).');
  model = readFileSync(join(modelPath, 'yolox_nano.onnx'));
  home = mkdtempSync(join(tmpdir(), 'vigil-fetch-'));
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/good/yolox_nano.onnx') response.end(model);
    else if (request.url === '/bad/yolox_nano.onnx') response.end(Buffer.concat([model.subarray(0, 1000), Buffer.from('tampered')]));
    else if (request.url === '/redirect/yolox_nano.onnx') response.writeHead(302, { location: '/good/yolox_nano.onnx' }).end();
    else if (request.url?.startsWith('/any/')) response.end(Buffer.from('some exported model'));
    else if (request.url?.startsWith('/silent/')) return; // accepts, never answers
    else response.writeHead(404).end();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed));
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}

function dir(name: string): string {
  return join(home, name);
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('models:fetch', () => {
  it('fails fast offline with exit code 2 and says where to copy the file', async () => {
    const target = dir('offline');
    const started = Date.now();
    const run = await fetchModels(['--dir', target], { VIGIL_MODELS_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no network');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain(`copy yolox_nano.onnx into ${target} or set VIGIL_MODEL_PATH`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(target)).toEqual([]);
  });

  it('gives up on a server that stops sending, as offline', async () => {
    const run = await fetchModels(['--dir', dir('silent')], { VIGIL_MODELS_BASE_URL: `${base}/silent`, VIGIL_FETCH_TIMEOUT_MS: '500' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no network \(127\.0\.0\.1:\d+: no data for 0\.5 s\)/);
    expect(readdirSync(dir('silent'))).toEqual([]);
  });

  it('installs the default model after checking its sha256, following redirects', async () => {
    const target = dir('good');
    const run = await fetchModels(['--dir', target], { VIGIL_MODELS_BASE_URL: `${base}/redirect` });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sha256 verified');
    expect(readdirSync(target)).toEqual(['yolox_nano.onnx']);
    expect(sha(readFileSync(join(target, 'yolox_nano.onnx')))).toBe(sha(model));

    const before = requests.length;
    const again = await fetchModels(['--dir', target, '--model', 'yolox-nano'], { VIGIL_MODELS_BASE_URL: `${base}/good` });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already there and matches its sha256');
    expect(requests.length).toBe(before);
  });

  it('puts the model in <VIGIL_DATA_DIR>/models by default', async () => {
    const dataDir = dir('data');
    const run = await fetchModels(['--url', `${base}/good/yolox_nano.onnx`], { VIGIL_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(existsSync(join(dataDir, 'models', 'yolox_nano.onnx'))).toBe(true);
  });

  it('refuses a download whose sha256 differs, with exit code 3, and installs nothing', async () => {
    const target = dir('bad');
    const run = await fetchModels(['--dir', target], { VIGIL_MODELS_BASE_URL: `${base}/bad` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('has sha256');
    expect(run.stderr).toContain('Nothing was installed');
    expect(readdirSync(target)).toEqual([]);
  });

  it('reports an HTTP error with exit code 1', async () => {
    const run = await fetchModels(['--dir', dir('missing')], { VIGIL_MODELS_BASE_URL: `${base}/nowhere` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HTTP 404');
  });

  it('will not install a model without a known sha256 unless told to trust it', async () => {
    const target = dir('unverified');
    const before = requests.length;
    const refused = await fetchModels(['--model', 'yolov8n', '--dir', target, '--url', `${base}/any/yolov8n.onnx`]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('--trust-unverified');
    expect(requests.length).toBe(before);

    const trusted = await fetchModels(['--model', 'yolov8n', '--dir', target, '--url', `${base}/any/yolov8n.onnx`, '--trust-unverified']);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain(`UNVERIFIED, sha256 ${sha(Buffer.from('some exported model'))}`);
    expect(readdirSync(target)).toEqual(['yolov8n.onnx']);
  });

  it('explains how to get a model that has no official download', async () => {
    const run = await fetchModels(['--model', 'yolov8n', '--dir', dir('v8')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no official ONNX download');
  });

  it('names the known models for an unknown id, and rejects unknown options', async () => {
    const unknown = await fetchModels(['--model', 'yolo-huge', '--dir', dir('x')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('known: yolox-nano, yolov8n');
    const typo = await fetchModels(['--mdoel', 'yolox-nano']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown option --mdoel');
  });
});
