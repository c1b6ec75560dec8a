// Detection through the whole engine with real components: FFmpeg decoding the camera,
// the motion worker thread, the inference worker process with onnxruntime-node and the
// real YOLOX model, the tracker, and the events WebSocket the overlays listen to.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Health } from '../../src/shared/api';
import type { DetectionsEvent } from '../../src/shared/detection';
import { constantModel } from '../support/onnx-model';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP, REPO_ROOT, startTestEngine, type TestEngine, until } from '../support/test-engine';

let vigil: TestEngine | null = null;

afterEach(async () => {
  await vigil?.stop();
  vigil = null;
});

/** Collects detections events from the engine's events WebSocket. */
function listen(engine: TestEngine): { events: DetectionsEvent[]; close(): void } {
  const events: DetectionsEvent[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${engine.engine.port}/api/events?token=${engine.engine.token}`);
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString()) as { type: string };
    if (event.type === 'detections') events.push(event as DetectionsEvent);
  });
  return { events, close: () => ws.close() };
}

const health = async (engine: TestEngine) => (await engine.api<Health>('GET', '/api/health')).body;

/** An app folder whose manifest names a model file of our choosing (no checksum). */
function appWithModel(name: string, bytes: Uint8Array | string): { appDir: string; modelPath: string } {
  const appDir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  mkdirSync(join(appDir, 'models'));
  const manifest = {
    defaultModel: 'test-model',
    models: [{ id: 'test-model', file: name, format: 'yolox', inputSize: [416, 416], labels: ['person'], licence: 'test', sourceUrl: '', sha256: '' }],
  };
  writeFileSync(join(appDir, 'models', 'manifest.json'), JSON.stringify(manifest));
  const modelPath = mkdtempSync(join(tmpdir(), 'vigil-models-'));
  writeFileSync(join(modelPath, name), bytes);
  return { appDir, modelPath };
}

describe('detection in the engine', () => {
  it('boxes and tracks people walking in real footage, with media times for the overlays', async () => {
    vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
    const stream = listen(vigil);
    const camera = await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href });
    const withPeople = await until('detections with people', () => stream.events.find((e) => e.camera === camera.id && e.objects.some((o) => o.label === 'person')));
    expect(withPeople.frameWidth).toBe(640);
    expect(withPeople.frameHeight).toBe(360);
    const person = withPeople.objects.find((o) => o.label === 'person')!;
    expect(person.trackId).toBeGreaterThan(0);
    expect(person.box[0]).toBeGreaterThanOrEqual(0);
    expect(person.box[2]).toBeLessThanOrEqual(640);
    expect(person.box[3]).toBeGreaterThan(person.box[1]);
    expect(withPeople.mediaTime.main).not.toBeNull();

    // Tracks keep their ids from frame to frame: some id appears in many events.
    await until('a few seconds of events', () => stream.events.length >= 15);
    const ids = stream.events.flatMap((e) => e.objects.filter((o) => o.state === 'active').map((o) => o.trackId));
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(5);
    // Media times advance with the video.
    const times = stream.events.map((e) => e.mediaTime.main!).filter((t) => t !== null);
    expect(times.at(-1)!).toBeGreaterThan(times[0]!);

    const status = await health(vigil);
    expect(status.inference).toMatchObject({ state: 'ready', model: 'yolox-nano', provider: 'cpu', workers: 1 });
    const row = status.cameras.find((c) => c.id === camera.id)!;
    expect(row.detect.mode).toBe('detecting');
    expect(row.detect.detectFps).toBeGreaterThan(1);
    expect(row.detect.motionActive).toBe(true);
    expect(row.detect.motionScore).toBeGreaterThan(0);
    stream.close();
  });

  it('stores one row per track with its path and a thumbnail of its best view', async () => {
    vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
    const stream = listen(vigil);
    const camera = await vigil.addCamera({ name: 'Walkway', mainUrl: pathToFileURL(DEMO_CLIP).href });
    await until('some seconds of tracking', () => stream.events.filter((e) => e.camera === camera.id).length >= 25, 40_000);
    // Disabling the camera ends its tracks: every one of them is finished in storage.
    expect((await vigil.api('PATCH', `/api/cameras/${camera.id}`, { enabled: false })).status).toBe(200);
    const db = new Database(join(vigil.dataDir, 'vigil.db'), { readonly: true });
    try {
      const rows = await until('tracks written', () => {
        const found = db.prepare('SELECT * FROM tracks WHERE camera_id = ?').all(camera.id) as { label: string; ended: number; first_seen: number; last_seen: number; best_score: number; samples: Buffer; snapshot_ref: string | null }[];
        return found.length > 0 && found.every((r) => r.ended === 1) && found.some((r) => r.snapshot_ref) ? found : null;
      });
      expect(rows.some((r) => r.label === 'person')).toBe(true);
      for (const row of rows) {
        expect(row.last_seen).toBeGreaterThanOrEqual(row.first_seen);
        expect(row.best_score).toBeGreaterThan(0.3);
        expect(row.samples.length).toBeGreaterThan(0);
      }
      // One row per track, not per frame: far fewer rows than detections seen.
      const seen = stream.events.filter((e) => e.camera === camera.id).reduce((n, e) => n + e.objects.length, 0);
      expect(rows.length).toBeLessThan(seen / 3);
      const thumbnail = rows.find((r) => r.snapshot_ref)!.snapshot_ref!;
      const jpeg = readFileSync(join(vigil.dataDir, 'snapshots', thumbnail));
      expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    } finally {
      db.close();
      stream.close();
    }
  });

  it('restarts a crashed inference worker; detection resumes and the cameras stay live', async () => {
    vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
    const stream = listen(vigil);
    const camera = await vigil.addCamera({ name: 'Lobby', mainUrl: pathToFileURL(DEMO_CLIP).href });
    await until('first detections', () => stream.events.length > 3);
    // Kill the worker the way the OS would (a native crash, the OOM killer): from outside.
    const pid = Number(execFileSync('pgrep', ['-P', String(process.pid), '-f', 'inference-worker'], { encoding: 'utf8' }).trim().split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await until('the restart to show in health', async () => (await health(vigil!)).inference.restarts >= 1);
    const before = stream.events.length;
    await until('detections after the restart', () => stream.events.length > before + 5, 30_000);
    const status = await health(vigil);
    expect(status.inference.state).toBe('ready');
    expect(status.cameras.find((c) => c.id === camera.id)!.state).toBe('live');
    expect(vigil.logs.some((line) => /inference worker 0 exited/.test(line))).toBe(true);
    stream.close();
  });

  it('falls back to software decoding with HWACCEL_UNAVAILABLE when the hardware decoder cannot be used', async () => {
    // CI machines have no VAAPI device (/dev/dri): FFmpeg's -hwaccel vaapi fails at start.
    vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
    const stream = listen(vigil);
    const camera = await vigil.addCamera({ name: 'Dock', mainUrl: pathToFileURL(DEMO_CLIP).href, options: { hwaccel: 'vaapi' } });
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 30_000, 'live');
    await until('detections in software', () => stream.events.some((e) => e.camera === camera.id));
    expect((await health(vigil)).cameras.find((c) => c.id === camera.id)!.detect).toMatchObject({ mode: 'detecting', reason: 'HWACCEL_UNAVAILABLE' });
    expect(vigil.logs.some((line) => /vaapi decoding failed/.test(line))).toBe(true);
    stream.close();
  });

  it('runs cameras motion-only with MODEL_MISSING when no model is on the path', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-no-models-'));
    vigil = await startTestEngine({ detection: true, appDir: REPO_ROOT, env: { ...process.env, VIGIL_MODEL_PATH: empty } });
    const camera = await vigil.addCamera({ name: 'Gate', mainUrl: pathToFileURL(DEMO_CLIP).href });
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 20_000, 'live');
    const row = await until('motion on the camera', async () => (await health(vigil!)).cameras.find((c) => c.id === camera.id && c.detect.motionScore > 0));
    expect(row.detect).toMatchObject({ mode: 'motion-only', reason: 'MODEL_MISSING', detectFps: 0 });
    const status = await health(vigil);
    expect(status.inference).toMatchObject({ state: 'unavailable', reason: 'MODEL_MISSING' });
    expect(status.inference.message).toContain(empty);
  });

  it('runs motion-only with MODEL_CORRUPT for a damaged model file', async () => {
    const { appDir, modelPath } = appWithModel('broken.onnx', 'this is not an ONNX model'.repeat(100));
    vigil = await startTestEngine({ detection: true, appDir, env: { ...process.env, VIGIL_MODEL_PATH: modelPath } });
    const camera = await vigil.addCamera({ name: 'Gate', mainUrl: pathToFileURL(DEMO_CLIP).href });
    const status = await until('inference to give up', async () => {
      const h = await health(vigil!);
      return h.inference.state === 'unavailable' ? h : null;
    });
    expect(status.inference.reason).toBe('MODEL_CORRUPT');
    await vigil.waitForCamera(camera.id, (c) => c.status.state === 'live', 20_000, 'live');
    expect((await health(vigil)).cameras.find((c) => c.id === camera.id)!.detect).toMatchObject({ mode: 'motion-only', reason: 'MODEL_CORRUPT' });
  });

  it('runs motion-only with MODEL_INCOMPATIBLE for a model whose output has the wrong shape', async () => {
    const wrong = constantModel({ name: 'images', shape: [1, 3, 416, 416] }, { name: 'output', value: { dims: [1, 10], data: new Float32Array(10) } });
    const { appDir, modelPath } = appWithModel('wrong-shape.onnx', wrong);
    vigil = await startTestEngine({ detection: true, appDir, env: { ...process.env, VIGIL_MODEL_PATH: modelPath } });
    const status = await until('inference to give up', async () => {
      const h = await health(vigil!);
      return h.inference.state === 'unavailable' ? h : null;
    });
    expect(status.inference.reason).toBe('MODEL_INCOMPATIBLE');
    expect(status.inference.message).toMatch(/\[1, 10\]|1x10|shape/i);
  });

  it('refuses a model that does not match its checksum, with MODEL_CHECKSUM_MISMATCH', async () => {
    const modelPath = mkdtempSync(join(tmpdir(), 'vigil-models-'));
    // The real manifest's yolox-nano entry, but a file that is not the published one.
    copyFileSync(join(modelDir(), 'yolox_nano.onnx'), join(modelPath, 'yolox_nano.onnx'));
    writeFileSync(join(modelPath, 'yolox_nano.onnx'), Buffer.from('tampered'), { flag: 'a' });
    vigil = await startTestEngine({ detection: true, appDir: REPO_ROOT, env: { ...process.env, VIGIL_MODEL_PATH: modelPath } });
    const status = await health(vigil);
    expect(status.inference).toMatchObject({ state: 'unavailable', reason: 'MODEL_CHECKSUM_MISMATCH' });
  });
});

afterAll(() => undefined);
