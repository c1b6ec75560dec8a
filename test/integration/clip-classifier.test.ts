// The clip classifier for real: its worker process with onnxruntime and a generated clip model
// (Vigil ships no violence weights), and the whole engine on real footage of people walking,
// with the real detector and tracker deciding when two people are close together, a
// classifier rule PUT over the API, and the incident it raises.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/shared/incidents';
import type { RuleSet } from '../../src/shared/rules';
import { ClipClient } from '../../src/main/engine/classify/clip-client';
import { clipWorkerScript } from '../../src/main/engine/classify/clip-setup';
import type { ClipFrame } from '../../src/main/engine/classify/clip-tensor';
import { forkLauncher } from '../../src/main/engine/inference/worker-host';
import { appWithClipModels, clipEntry, redBlueClipModel, type ClipTestModel } from '../support/clip-model';
import { DEMO_CLIP, startTestEngine, type TestEngine, until } from '../support/test-engine';
import { modelDir } from '../support/test-media';

const dir = mkdtempSync(join(tmpdir(), 'vigil-clip-classifier-'));
const SPEC: ClipTestModel = { layout: 'NTCHW', frames: 8, size: [64, 48], output: 'logits' };
// For the engine: grey footage (red close to blue) scores sigmoid(4) = 0.98; a blue scene would score low.
const ENGINE_SPEC: ClipTestModel = { ...SPEC, bias: 4 };
const app = appWithClipModels(dir, [
  { entry: clipEntry('red-fight', 'red-fight.onnx', SPEC), bytes: redBlueClipModel(SPEC) },
  { entry: clipEntry('grey-fight', 'grey-fight.onnx', ENGINE_SPEC, { sampleFps: 4 }), bytes: redBlueClipModel(ENGINE_SPEC) },
  { entry: clipEntry('wrong-layout', 'wrong-layout.onnx', SPEC), bytes: redBlueClipModel({ ...SPEC, layout: 'NCTHW' }) },
  { entry: clipEntry('damaged', 'damaged.onnx', SPEC), bytes: new TextEncoder().encode('not a model') },
]);

const clients: ClipClient[] = [];
const logs: string[] = [];

function client(id: string, file = `${id}.onnx`): ClipClient {
  const spec = id === 'wrong-layout' || id === 'damaged' || id === 'red-fight' ? SPEC : ENGINE_SPEC;
  const started = new ClipClient({ launcher: forkLauncher, script: clipWorkerScript(), entry: clipEntry(id, file, spec), file: join(app.modelDir, file), providers: ['cpu'], threads: 1, log: (line) => logs.push(line) });
  clients.push(started);
  started.start();
  return started;
}

/** `count` pictures of w x h in one colour. */
function pictures(count: number, rgb: [number, number, number], width = 100, height = 70): ClipFrame[] {
  return Array.from({ length: count }, () => {
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
    return { width, height, data };
  });
}

afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});

describe('the clip worker', () => {
  it('scores clips in its own process: crops of any size resized to the model, red high and blue low', async () => {
    const c = client('red-fight');
    await until('the clip worker to be ready', () => c.snapshot().state === 'ready', 60_000);
    expect(c.snapshot()).toMatchObject({ state: 'ready', provider: 'cpu', model: 'red-fight' });
    const red = await c.classify(pictures(8, [220, 10, 10]));
    const blue = await c.classify(pictures(8, [10, 10, 220], 37, 90));
    expect(red![1]).toBeGreaterThan(0.99);
    expect(blue![1]).toBeLessThan(0.01);
    // Mean red - blue of 0.25 (in 0-1) times a gain of 8: sigmoid(2), through the bilinear resize of uniform pictures.
    const mixed = await c.classify(pictures(8, [96, 0, 32]));
    expect(mixed![1]).toBeCloseTo(1 / (1 + Math.exp(-8 * (64 / 255))), 4);
    expect(c.snapshot()).toMatchObject({ clips: 3, dropped: 0 });
    expect(c.snapshot().latencyMs.count).toBe(3);
  });

  it('restarts a crashed worker, dropping the clip it held', async () => {
    const c = client('red-fight');
    await until('ready', () => c.snapshot().state === 'ready', 60_000);
    // The worker handles messages in order: it dies before it gets to the clip.
    c.crash();
    expect(await c.classify(pictures(8, [220, 10, 10]))).toBeNull();
    await until('the restart', () => c.snapshot().restarts >= 1 && c.snapshot().state === 'ready', 60_000);
    expect((await c.classify(pictures(8, [220, 10, 10])))![1]).toBeGreaterThan(0.99);
    expect(logs.some((line) => /clip worker exited/.test(line))).toBe(true);
  });

  it.each([
    ['wrong-layout', 'CLIP_MODEL_INCOMPATIBLE', /input \[batch, 3, 8, 48, 64\] is not \[batch, 8, 3, 48, 64\] \(NTCHW\)/],
    ['damaged', 'CLIP_MODEL_CORRUPT', /cannot be loaded as an ONNX model/],
    ['absent', 'CLIP_MODEL_MISSING', /does not exist/],
  ])('gives up on a model that cannot load (%s) with its reason, and drops clips', async (id, reason, message) => {
    const c = client(id);
    await until('the load to fail', () => c.snapshot().state === 'unavailable', 60_000);
    expect(c.snapshot()).toMatchObject({ reason, message: expect.stringMatching(message) });
    expect(await c.classify(pictures(8, [220, 10, 10]))).toBeNull();
    expect(c.snapshot().restarts).toBe(0);
  });
});

describe('the clip classifier in the engine', () => {
  let vigil: TestEngine | null = null;

  afterAll(async () => {
    await vigil?.stop();
  });

  function rules(cameraId: string): RuleSet {
    const rule = { cameraId, severity: 'high' as const, enabled: true, schedule: [], timeZone: 'UTC', type: 'classifier' as const, label: 'violence', threshold: 0.9, minDurationMs: 0 };
    return {
      // Along the top of the picture, where nobody of the footage ever stands.
      zones: [{ id: 'upper-wall', cameraId, name: 'Upper wall', kind: 'zone', polygon: [[0.4, 0], [1, 0], [1, 0.1], [0.4, 0.1]] }],
      lines: [],
      rules: [
        { ...rule, id: 'fight', name: 'Fight anywhere' },
        { ...rule, id: 'wall-fight', name: 'Fight at the upper wall', zoneId: 'upper-wall' },
      ],
    };
  }

  it('runs where two people are close together and raises a classifier incident; not where nobody is', async () => {
    vigil = await startTestEngine({ detection: true, appDir: app.appDir, env: { ...process.env, VIGIL_MODEL_PATH: [modelDir(), app.modelDir].join(delimiter), VIGIL_CLIP_MODEL: 'grey-fight' } });
    const clips = vigil.engine.clips!;
    await until('the clip worker', () => clips.status().state === 'ready', 60_000);
    const camera = await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href });
    expect((await vigil.api('PUT', `/api/cameras/${camera.id}/rules`, rules(camera.id))).status).toBe(200);

    const incident = await until('a classifier incident', async () => (await vigil!.api<Incident[]>('GET', `/api/incidents?camera=${camera.id}`)).body.find((i) => i.type === 'classifier'), 60_000);
    expect(incident).toMatchObject({ cameraId: camera.id, ruleId: 'fight', ruleName: 'Fight anywhere', type: 'classifier', severity: 'high', label: 'violence', trackId: null });
    expect((incident.details as { score: number }).score).toBeGreaterThanOrEqual(0.9);

    const regions = clips.status().cameras.find((c) => c.cameraId === camera.id)!.regions;
    const picture = regions.find((r) => r.region === 'picture')!;
    expect(picture.clips).toBeGreaterThan(0);
    expect(picture.lastScore!).toBeGreaterThan(0.9);
    // The detector and tracker saw people all along, but never two close together at the upper wall.
    expect(regions.find((r) => r.region === 'upper-wall')).toMatchObject({ triggered: false, clips: 0, lastRunAt: null });
    expect((await vigil.api<Incident[]>('GET', `/api/incidents?camera=${camera.id}`)).body.filter((i) => i.ruleId === 'wall-fight')).toEqual([]);
    expect(clips.status().worker).toMatchObject({ state: 'ready', dropped: 0 });
    // The worker is a process of its own (onnxruntime never runs on the engine's thread).
    expect(execFileSync('pgrep', ['-P', String(process.pid), '-f', 'clip-worker'], { encoding: 'utf8' }).trim()).toMatch(/^\d+/);
  });

  it('without VIGIL_CLIP_MODEL, classifier rules raise nothing and the log says why', async () => {
    await vigil?.stop();
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_MODEL_PATH: modelDir() };
    delete env.VIGIL_CLIP_MODEL;
    vigil = await startTestEngine({ detection: true, env });
    const camera = await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href });
    expect((await vigil.api('PUT', `/api/cameras/${camera.id}/rules`, rules(camera.id))).status).toBe(200);
    await until('the reason in the log', () => vigil!.logs.find((line) => line.includes('clip classifier off (CLIP_MODEL_MISSING)')), 30_000);
    expect(vigil.engine.clips!.status()).toMatchObject({ state: 'off', reason: 'CLIP_MODEL_MISSING', message: expect.stringContaining('VIGIL_CLIP_MODEL is not set') });
    expect((await vigil.api<Incident[]>('GET', `/api/incidents?camera=${camera.id}`)).body).toEqual([]);
  });
});
