// Detector.load's choices without a real runtime: what happens when onnxruntime-node cannot
// be loaded at all, and how providers are tried. The real runtime is covered by
// test/integration/inference-detector.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ModelManifestEntry } from '../../../src/shared/detection';
import { Detector } from '../../../src/main/engine/inference/detector';
import type { OnnxRuntime } from '../../../src/main/engine/inference/onnx-runtime';

// As on a machine where the native addon has no prebuilt binary.
vi.mock('onnxruntime-node', () => {
  throw new Error('libonnxruntime.so.1: cannot open shared object file');
});

const ENTRY: ModelManifestEntry = { id: 'yolox-nano', file: 'm.onnx', format: 'yolox', inputSize: [416, 416], labels: Array.from({ length: 80 }, (_, i) => `c${i}`), licence: 'test', sourceUrl: '', sha256: '' };
const dir = mkdtempSync(join(tmpdir(), 'vigil-detector-load-'));
const MODEL = join(dir, 'm.onnx');
writeFileSync(MODEL, 'stand-in');

function fakeRuntime(create: (provider: string) => unknown): { runtime: OnnxRuntime; tried: string[] } {
  const tried: string[] = [];
  const runtime = {
    listSupportedBackends: () => [{ name: 'cpu' }, { name: 'cuda' }],
    InferenceSession: {
      create: async (_file: string, options: { executionProviders: string[] }) => {
        const provider = options.executionProviders[0]!;
        tried.push(provider);
        return create(provider);
      },
    },
  } as unknown as OnnxRuntime;
  return { runtime, tried };
}

const session = {
  inputNames: ['images'],
  outputNames: ['output'],
  inputMetadata: [{ name: 'images', isTensor: true, type: 'float32', shape: [1, 3, 416, 416] }],
  outputMetadata: [{ name: 'output', isTensor: true, type: 'float32', shape: [1, 3549, 85] }],
  release: async () => undefined,
};

describe('Detector.load without a real runtime', () => {
  it('reports INFERENCE_UNAVAILABLE when onnxruntime-node cannot be loaded', async () => {
    await expect(Detector.load({ entry: ENTRY, file: MODEL, log: () => undefined })).rejects.toMatchObject({
      code: 'INFERENCE_UNAVAILABLE',
      message: expect.stringContaining('onnxruntime-node cannot be loaded'),
    });
  });

  it('falls back provider by provider and logs the one used', async () => {
    const { runtime, tried } = fakeRuntime((provider) => {
      if (provider === 'cuda') throw new Error('CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected');
      return session;
    });
    const log: string[] = [];
    const detector = await Detector.load({ entry: ENTRY, file: MODEL, providers: ['cuda', 'dml', 'cpu'], runtime, log: (line) => log.push(line) });
    expect(tried).toEqual(['cuda', 'cpu']);
    expect(detector.provider).toBe('cpu');
    expect(detector.fallbacks).toEqual([
      { provider: 'cuda', reason: 'CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected', tried: true },
      { provider: 'dml', reason: process.platform === 'win32' ? 'not in this build of onnxruntime-node' : 'only on Windows', tried: false },
    ]);
    expect(log[0]).toMatch(/^detector yolox-nano \(yolox\) on cpu \[not used: cuda: CUDA_ERROR_NO_DEVICE/);
  });

  it('stops at the first provider when the file itself cannot be parsed', async () => {
    const { runtime, tried } = fakeRuntime(() => {
      throw new Error('Load model from m.onnx failed:Protobuf parsing failed.');
    });
    await expect(Detector.load({ entry: ENTRY, file: MODEL, runtime, log: () => undefined })).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
    expect(tried).toEqual(['cuda']);
  });

  it('takes the metadata batch dimension to decide on batching', async () => {
    const dynamic = { ...session, inputMetadata: [{ ...session.inputMetadata[0], shape: ['batch', 3, 416, 416] }] };
    const { runtime } = fakeRuntime(() => dynamic);
    const detector = await Detector.load({ entry: ENTRY, file: MODEL, providers: ['cpu'], runtime, maxBatch: 4, log: () => undefined });
    expect([detector.dynamicBatch, detector.maxBatch, detector.frameLength]).toEqual([true, 4, 3 * 416 * 416]);
    expect(detector.frameSizeFor(1920, 1080)).toEqual({ width: 416, height: 234 });
  });
});
