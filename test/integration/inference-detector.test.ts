// The detector against the real onnxruntime-node, with model files made for each case: a
// damaged file, models of the wrong shape, and tiny Ultralytics-format models whose output
// is known, to check decoding end to end through a real session (batched and not).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifestEntry } from '../../src/shared/detection';
import { DetectError } from '../../src/main/engine/inference/detect-error';
import { Detector } from '../../src/main/engine/inference/detector';
import type { RawFrame } from '../../src/main/engine/inference/raw-frame';
import { cudaProviderInstalled } from '../../src/main/engine/inference/execution-provider';
import { batchedConstantModel, constantModel } from '../support/onnx-model';

const COCO_LIKE = Array.from({ length: 80 }, (_, i) => (i === 0 ? 'person' : i === 2 ? 'car' : `class${i}`));
const YOLOX: ModelManifestEntry = { id: 'yolox-nano', file: 'yolox_nano.onnx', format: 'yolox', inputSize: [416, 416], labels: COCO_LIKE, licence: 'test', sourceUrl: '', sha256: '' };
const TINY_ULTRALYTICS: ModelManifestEntry = { id: 'tiny-v8', file: 'tiny.onnx', format: 'ultralytics', inputSize: [64, 64], labels: ['person', 'bicycle', 'car'], licence: 'test', sourceUrl: '', sha256: '' };

let dir: string;
const log: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-detector-'));
});

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function loadError(entry: ModelManifestEntry, path: string): Promise<DetectError> {
  const error = await Detector.load({ entry, file: path, providers: ['cpu'], log: (line) => log.push(line) }).then(
    async (detector) => {
      await detector.close();
      throw new Error('the model loaded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DetectError);
  return error as DetectError;
}

/**
 * Output of the tiny Ultralytics model, [1, 7, 4] (cx, cy, w, h, 3 class scores per box),
 * in 64x64 input pixels:
 *  0: person 0.9 at (32, 32), 20x40
 *  1: car 0.8 at the same place (another class: kept)
 *  2: person 0.6 overlapping box 0 (suppressed)
 *  3: bicycle 0.2 (under the threshold)
 */
function tinyOutput(): Float32Array {
  const boxes = [
    [32, 32, 20, 40, 0.9, 0, 0],
    [32, 32, 20, 40, 0, 0, 0.8],
    [33, 32, 20, 40, 0.6, 0, 0],
    [10, 10, 8, 8, 0, 0.2, 0],
  ];
  const data = new Float32Array(7 * 4);
  boxes.forEach((values, box) => values.forEach((value, channel) => (data[channel * 4 + box] = value)));
  return data;
}

function frame(width: number, height: number): RawFrame {
  return { width, height, data: new Uint8Array(width * height * 3).fill(90) };
}

describe('Detector.load', () => {
  it('reports MODEL_CORRUPT for random bytes named .onnx, and for an empty file', async () => {
    const random = await loadError(YOLOX, file('random.onnx', randomBytes(4096)));
    expect(random.code).toBe('MODEL_CORRUPT');
    expect(random.message).toContain('random.onnx cannot be loaded as an ONNX model');
    expect((await loadError(YOLOX, file('empty.onnx', new Uint8Array(0)))).code).toBe('MODEL_CORRUPT');
  });

  it('reports MODEL_MISSING for a file that is not there', async () => {
    expect((await loadError(YOLOX, join(dir, 'gone.onnx'))).code).toBe('MODEL_MISSING');
  });

  it('reports MODEL_INCOMPATIBLE with both shapes for a valid ONNX model of the wrong output shape', async () => {
    const path = file('flat.onnx', constantModel({ name: 'images', shape: [1, 3, 416, 416] }, { name: 'output', value: { dims: [1, 10], data: new Float32Array(10) } }));
    const error = await loadError(YOLOX, path);
    expect(error.code).toBe('MODEL_INCOMPATIBLE');
    expect(error.message).toContain('output [1, 10] is not [batch, 3549, 85]');
    expect(error.message).toContain('The model has input images [1, 3, 416, 416], output output [1, 10]');
  });

  it('reports MODEL_INCOMPATIBLE for the wrong input size', async () => {
    const path = file('small-input.onnx', constantModel({ name: 'images', shape: [1, 3, 320, 320] }, { name: 'output', value: { dims: [1, 3549, 85], data: new Float32Array(3549 * 85) } }));
    const error = await loadError(YOLOX, path);
    expect(error.code).toBe('MODEL_INCOMPATIBLE');
    expect(error.message).toContain('input [1, 3, 320, 320] is not [batch, 3, 416, 416]');
  });

  it('falls back along the provider list to the CPU and records why each was passed over', async () => {
    const path = file('tiny-fixed.onnx', constantModel({ name: 'images', shape: [1, 3, 64, 64] }, { name: 'output0', value: { dims: [1, 7, 4], data: tinyOutput() } }));
    const detector = await Detector.load({ entry: TINY_ULTRALYTICS, file: path, providers: ['tpu', 'dml', 'coreml', 'cuda', 'cpu'], log: (line) => log.push(line) });
    try {
      // CUDA would be used where its libraries are installed; this machine has none.
      expect(['cuda', 'cpu']).toContain(detector.provider);
      const reasons = Object.fromEntries(detector.fallbacks.map((fallback) => [fallback.provider, fallback.reason]));
      expect(reasons.tpu).toBe('not in this build of onnxruntime-node');
      if (process.platform === 'linux') expect(reasons).toMatchObject({ dml: 'only on Windows', coreml: 'only on macOS' });
      // Without onnxruntime-node's CUDA library CUDA is skipped untried; with it, a failed
      // session attempt is recorded as tried.
      const cuda = detector.fallbacks.find((fallback) => fallback.provider === 'cuda');
      if (!cudaProviderInstalled()) expect(cuda).toMatchObject({ tried: false, reason: expect.stringMatching(/CUDA provider not installed/) });
      else if (detector.provider === 'cpu') expect(cuda).toMatchObject({ tried: true, reason: expect.any(String) });
      const untried = process.platform === 'linux' ? ['tpu', 'dml', 'coreml', ...(cudaProviderInstalled() ? [] : ['cuda'])] : expect.arrayContaining(['tpu']);
      expect(detector.fallbacks.filter((fallback) => !fallback.tried).map((fallback) => fallback.provider)).toEqual(untried);
      expect(log.at(-1)).toContain(`detector tiny-v8 (ultralytics) on ${detector.provider} [not used: tpu: not in this build`);
    } finally {
      await detector.close();
    }
  });
});

describe('an Ultralytics-format model through onnxruntime', () => {
  it('decodes a fixed-batch model frame by frame, in source pixels of each frame', async () => {
    const path = file('tiny-fixed.onnx', constantModel({ name: 'images', shape: [1, 3, 64, 64] }, { name: 'output0', value: { dims: [1, 7, 4], data: tinyOutput() } }));
    const detector = await Detector.load({ entry: TINY_ULTRALYTICS, file: path, providers: ['cpu'], threads: 1, log: () => undefined });
    try {
      expect(detector.dynamicBatch).toBe(false);
      expect(detector.maxBatch).toBe(1);
      const [wide, square] = await detector.detect([frame(128, 96), frame(64, 64)]);
      // 128x96 -> scale 0.5, 64x48 centred with 8 rows above. Box [22, 12, 42, 52] in the input.
      expect(wide).toEqual([
        { label: 'person', classId: 0, score: expect.closeTo(0.9, 5), box: [44, 8, 84, 88] },
        { label: 'car', classId: 2, score: expect.closeTo(0.8, 5), box: [44, 8, 84, 88] },
      ]);
      expect(square!.map((d) => d.box)).toEqual([
        [22, 12, 42, 52],
        [22, 12, 42, 52],
      ]);
      // A higher threshold leaves only the person.
      const [strict] = await detector.detect([frame(64, 64)], { scoreThreshold: 0.85 });
      expect(strict!.map((d) => d.label)).toEqual(['person']);
    } finally {
      await detector.close();
    }
  });

  it('runs frames of a dynamic-batch model in one batch, each mapped with its own letterbox', async () => {
    const path = file('tiny-dynamic.onnx', batchedConstantModel({ name: 'images', shape: ['batch', 3, 64, 64] }, { name: 'output0', value: { dims: [1, 7, 4], data: tinyOutput() } }));
    const detector = await Detector.load({ entry: TINY_ULTRALYTICS, file: path, providers: ['cpu'], threads: 1, maxBatch: 2, log: () => undefined });
    try {
      expect(detector.dynamicBatch).toBe(true);
      expect(detector.maxBatch).toBe(2);
      const results = await detector.detect([frame(128, 96), frame(64, 64), frame(32, 64)]);
      expect(results.map((found) => found.map((d) => d.box))).toEqual([
        [[44, 8, 84, 88], [44, 8, 84, 88]],
        [[22, 12, 42, 52], [22, 12, 42, 52]],
        // 32x64 -> scale 1, 32 columns centred with 16 on the left: x from 6 to 26.
        [[6, 12, 26, 52], [6, 12, 26, 52]],
      ]);
      const raw = await detector.runTensor(new Float32Array(2 * detector.frameLength), 2);
      expect(raw.dims).toEqual([2, 7, 4]);
      expect(Array.from(raw.data.subarray(28, 32))).toEqual([32, 32, 33, 10]);
      expect(() => detector.runTensor(new Float32Array(3 * detector.frameLength), 3)).toThrow(RangeError);
    } finally {
      await detector.close();
    }
  });

  it('turns output dims that do not fit at run time into MODEL_INCOMPATIBLE', async () => {
    // Metadata says [batch, 7, 4]; a batch of two comes back as one frame's output.
    const path = file('tiny-lying.onnx', onnxLyingAboutBatch());
    const detector = await Detector.load({ entry: TINY_ULTRALYTICS, file: path, providers: ['cpu'], threads: 1, log: () => undefined });
    try {
      await expect(detector.detect([frame(64, 64), frame(64, 64)])).rejects.toMatchObject({ code: 'MODEL_INCOMPATIBLE' });
    } finally {
      await detector.close();
    }
  });
});

/** Dynamic batch on the input, but a constant single-frame output: broken for batches. */
function onnxLyingAboutBatch(): Uint8Array {
  return constantModel({ name: 'images', shape: ['batch', 3, 64, 64] }, { name: 'output0', value: { dims: [1, 7, 4], data: tinyOutput() } });
}
