import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetectError } from '../../../src/main/engine/inference/detect-error';
import { loadManifest, manifestEntry, parseManifest } from '../../../src/main/engine/inference/manifest';

const REAL = resolve(__dirname, '../../../models/manifest.json');

function valid() {
  return {
    defaultModel: 'a',
    models: [{ id: 'a', file: 'a.onnx', format: 'yolox', inputSize: [416, 416], labels: ['person', 'car'], licence: 'Apache-2.0', sourceUrl: 'https://example.org/a.onnx', sha256: 'ab'.repeat(32), reportLabels: ['person'] }],
  };
}

function problem(mutate: (manifest: ReturnType<typeof valid>) => void): DetectError {
  const manifest = valid();
  mutate(manifest);
  try {
    parseManifest(manifest);
  } catch (error) {
    return error as DetectError;
  }
  throw new Error('the manifest was accepted');
}

describe('models/manifest.json', () => {
  it('is valid, with YOLOX-Nano as the default and 80 COCO labels per model', async () => {
    const manifest = await loadManifest(REAL);
    const yolox = manifestEntry(manifest);
    expect(yolox).toMatchObject({ id: 'yolox-nano', file: 'yolox_nano.onnx', format: 'yolox', inputSize: [416, 416], licence: 'Apache-2.0' });
    expect(yolox.sourceUrl).toBe('https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx');
    expect(yolox.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(yolox.labels).toHaveLength(80);
    expect([yolox.labels[0], yolox.labels[2], yolox.labels[17], yolox.labels[79]]).toEqual(['person', 'car', 'horse', 'toothbrush']);
    expect(yolox.reportLabels).toEqual(['person', 'bicycle', 'car', 'motorbike', 'bus', 'truck', 'dog', 'cat']);
    const ultralytics = manifestEntry(manifest, 'yolov8n');
    expect(ultralytics).toMatchObject({ format: 'ultralytics', inputSize: [640, 640], licence: 'AGPL-3.0' });
    // Same class list, so rules written against labels survive a change of model.
    expect(ultralytics.labels).toEqual(yolox.labels);
  });
});

describe('parseManifest', () => {
  it('accepts a valid manifest, and "" for an unknown checksum or source', () => {
    expect(parseManifest(valid()).models[0]!.id).toBe('a');
    const unknown = valid();
    unknown.models[0]!.sha256 = '';
    unknown.models[0]!.sourceUrl = '';
    expect(parseManifest(unknown).models[0]!.sha256).toBe('');
  });

  it.each([
    ['a checksum that is not 64 hex digits', (m: ReturnType<typeof valid>) => (m.models[0]!.sha256 = 'abc'), 'models[0].sha256'],
    ['a file name with a directory', (m: ReturnType<typeof valid>) => (m.models[0]!.file = '../../etc/passwd.onnx'), 'models[0].file'],
    ['a report label the model does not have', (m: ReturnType<typeof valid>) => (m.models[0]!.reportLabels = ['unicorn']), 'models[0].reportLabels[0]'],
    ['an unknown format', (m: ReturnType<typeof valid>) => ((m.models[0] as { format: string }).format = 'detr'), 'models[0].format'],
    ['an input size the strides do not divide', (m: ReturnType<typeof valid>) => (m.models[0]!.inputSize = [416, 420]), 'models[0].inputSize[1]'],
    ['an unknown field (a typo)', (m: ReturnType<typeof valid>) => Object.assign(m.models[0]!, { lables: [] }), 'lables'],
    ['a default that is not in the list', (m: ReturnType<typeof valid>) => (m.defaultModel = 'b'), 'defaultModel'],
    ['a plain-http, non-URL source', (m: ReturnType<typeof valid>) => (m.models[0]!.sourceUrl = 'ftp://example.org/a.onnx'), 'models[0].sourceUrl'],
    ['two models with one id', (m: ReturnType<typeof valid>) => m.models.push({ ...m.models[0]! }), 'models[1].id'],
  ])('rejects %s with MODEL_MANIFEST_INVALID naming the field', (_what, mutate, path) => {
    const error = problem(mutate);
    expect(error).toBeInstanceOf(DetectError);
    expect(error.code).toBe('MODEL_MANIFEST_INVALID');
    expect(error.message).toContain(path);
  });

  it('reports unreadable and malformed files with the same code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-manifest-'));
    writeFileSync(join(dir, 'broken.json'), '{ "models": [');
    await expect(loadManifest(join(dir, 'broken.json'))).rejects.toMatchObject({ code: 'MODEL_MANIFEST_INVALID', message: expect.stringContaining('not valid JSON') });
    await expect(loadManifest(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'MODEL_MANIFEST_INVALID', message: expect.stringContaining('cannot be read') });
  });

  it('names the known models when asked for an unknown one', () => {
    expect(() => manifestEntry(parseManifest(valid()), 'yolo-huge')).toThrow(/No model "yolo-huge".*known: a/);
  });
});
