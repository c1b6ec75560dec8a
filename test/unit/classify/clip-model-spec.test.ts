// The clip models of models/manifest.json: the shipped example entry, and what validation
// refuses (a wrong entry scores nothing correctly and crashes nothing, so it must not load).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipInputDims, describeClipInput, labelKey } from '../../../src/main/engine/classify/clip-model-spec';
import { DetectError } from '../../../src/main/engine/inference/detect-error';
import { clipModelEntry, loadManifest, parseManifest } from '../../../src/main/engine/inference/manifest';

const REAL = resolve(__dirname, '../../../models/manifest.json');

function detector() {
  return { id: 'a', file: 'a.onnx', format: 'yolox', inputSize: [416, 416], labels: ['person'], licence: 'test', sourceUrl: '', sha256: '' };
}

function clip(): Record<string, unknown> {
  return {
    id: 'fight',
    file: 'fight.onnx',
    framesPerClip: 16,
    inputLayout: 'NTHWC',
    inputSize: [224, 224],
    channelOrder: 'RGB',
    normalization: { divideBy: 255, mean: [0, 0, 0], std: [1, 1, 1] },
    labels: ['calm', 'fight'],
    positiveLabel: 'fight',
    output: 'logits',
    sampleFps: 4,
    licence: 'site',
    sourceUrl: '',
    sha256: '',
  };
}

function rejection(mutate: (entry: Record<string, unknown>) => void): DetectError {
  const entry = clip();
  mutate(entry);
  try {
    parseManifest({ defaultModel: 'a', models: [detector()], clipModels: [entry] });
  } catch (error) {
    return error as DetectError;
  }
  throw new Error('the manifest was accepted');
}

describe('clipModels in models/manifest.json', () => {
  it('describes the VGG19 + Bi-LSTM violence model, with no download and no checksum (no weights ship)', async () => {
    const manifest = await loadManifest(REAL);
    expect(clipModelEntry(manifest, 'violence-vgg19-bilstm')).toEqual({
      id: 'violence-vgg19-bilstm',
      file: 'violence_vgg19_bilstm.onnx',
      framesPerClip: 16,
      inputLayout: 'NTHWC',
      inputSize: [224, 224],
      channelOrder: 'RGB',
      normalization: { divideBy: 255, mean: [0, 0, 0], std: [1, 1, 1] },
      labels: ['non-violence', 'violence'],
      positiveLabel: 'violence',
      output: 'probabilities',
      sampleFps: 4,
      licence: expect.stringContaining('no violence weights'),
      sourceUrl: '',
      sha256: '',
    });
  });

  it('is optional: a manifest without clip models has an empty list', () => {
    expect(parseManifest({ defaultModel: 'a', models: [detector()] }).clipModels).toEqual([]);
  });

  it('names the known clip models when an unknown one is asked for', () => {
    const manifest = parseManifest({ defaultModel: 'a', models: [detector()], clipModels: [clip()] });
    expect(clipModelEntry(manifest, 'fight').framesPerClip).toBe(16);
    expect(() => clipModelEntry(manifest, 'falls')).toThrow(expect.objectContaining({ code: 'CLIP_MODEL_MISSING', message: expect.stringContaining('clip models: fight') }));
  });

  it.each([
    ['a positive label the model does not have', (e: Record<string, unknown>) => (e.positiveLabel = 'violence'), 'clipModels[0].positiveLabel'],
    ['an unknown layout', (e: Record<string, unknown>) => (e.inputLayout = 'NHWC'), 'clipModels[0].inputLayout'],
    ['a one-picture clip', (e: Record<string, unknown>) => (e.framesPerClip = 1), 'clipModels[0].framesPerClip'],
    ['a zero standard deviation', (e: Record<string, unknown>) => (e.normalization = { divideBy: 255, mean: [0, 0, 0], std: [1, 0, 1] }), 'clipModels[0].normalization.std[1]'],
    ['two means instead of three', (e: Record<string, unknown>) => (e.normalization = { divideBy: 255, mean: [0, 0], std: [1, 1, 1] }), 'clipModels[0].normalization.mean'],
    ['an unknown output kind', (e: Record<string, unknown>) => (e.output = 'softmax'), 'clipModels[0].output'],
    ['a label twice', (e: Record<string, unknown>) => (e.labels = ['fight', 'fight']), 'clipModels[0].labels[1]'],
    ['a file outside the model folders', (e: Record<string, unknown>) => (e.file = '../fight.onnx'), 'clipModels[0].file'],
    ['a sample rate of zero', (e: Record<string, unknown>) => (e.sampleFps = 0), 'clipModels[0].sampleFps'],
    ['a typo in a field name', (e: Record<string, unknown>) => (e.framesPerclip = 16), 'framesPerclip'],
  ])('refuses %s with MODEL_MANIFEST_INVALID naming the field', (_what, mutate, path) => {
    const error = rejection(mutate);
    expect(error).toBeInstanceOf(DetectError);
    expect(error.code).toBe('MODEL_MANIFEST_INVALID');
    expect(error.message).toContain(path);
  });

  it('refuses two clip models with one id', () => {
    expect(() => parseManifest({ defaultModel: 'a', models: [detector()], clipModels: [clip(), clip()] })).toThrow(/clip model id "fight" appears twice/);
  });
});

describe('clip input dimensions', () => {
  it('follow the layout', () => {
    const spec = { framesPerClip: 16, inputSize: [224, 160] as [number, number] };
    expect(clipInputDims({ ...spec, inputLayout: 'NTHWC' })).toEqual([1, 16, 160, 224, 3]);
    expect(clipInputDims({ ...spec, inputLayout: 'NTCHW' })).toEqual([1, 16, 3, 160, 224]);
    expect(clipInputDims({ ...spec, inputLayout: 'NCTHW' })).toEqual([1, 3, 16, 160, 224]);
    expect(describeClipInput({ ...spec, inputLayout: 'NCTHW' })).toBe('[batch, 3, 16, 160, 224] (NCTHW)');
  });

  it('match dataset folder names to labels loosely', () => {
    expect(labelKey('NonViolence')).toBe(labelKey('non-violence'));
    expect(labelKey('Violence')).toBe(labelKey('violence'));
    expect(labelKey('violence')).not.toBe(labelKey('non-violence'));
  });
});
