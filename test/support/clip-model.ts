// Clip classifier models generated for tests: Vigil ships no violence weights, so tests use
// a model whose "violence" score is a known function of its input. The logit is
//   gain * (mean of the model's channel 0 - mean of its channel 2) + bias
// over every picture of the clip, so with RGB order and x / 255 a red clip scores high and a
// blue one low, and only if frames, channels, rows and columns were packed in the layout the
// model reads (the channel axis differs per layout). Built from Gather, ReduceMean, Sub, Mul,
// Add, Reshape, Sigmoid and Concat, like an exported model would be.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClipLayout, ClipModelEntry } from '../../src/main/engine/classify/clip-model-spec';
import { onnxModel, type NodeSpec, type Shape } from './onnx-model';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface ClipTestModel {
  layout: ClipLayout;
  frames: number;
  /** [width, height] */
  size: [number, number];
  output: 'probabilities' | 'logits';
  gain?: number;
  bias?: number;
  /** A number for a fixed batch, a name for a dynamic one (default 'batch'). */
  batch?: number | string;
  /** Two labels (default: [other, positive]) or one (the positive label's own score). */
  labelCount?: 1 | 2;
}

/** The input shape such a model declares for `layout`. */
export function clipShape(spec: Pick<ClipTestModel, 'layout' | 'frames' | 'size' | 'batch'>): Shape {
  const [width, height] = spec.size;
  const n = spec.batch ?? 'batch';
  if (spec.layout === 'NTHWC') return [n, spec.frames, height, width, 3];
  if (spec.layout === 'NTCHW') return [n, spec.frames, 3, height, width];
  return [n, 3, spec.frames, height, width];
}

const CHANNEL_AXIS: Record<ClipLayout, number> = { NTHWC: 4, NTCHW: 2, NCTHW: 1 };

export function redBlueClipModel(spec: ClipTestModel): Uint8Array {
  const axis = CHANNEL_AXIS[spec.layout];
  const scalar = (value: number) => ({ dims: [], data: new Float32Array([value]) });
  const nodes: NodeSpec[] = [
    { op: 'Gather', inputs: ['clip', 'first'], outputs: ['c0'], attributes: { axis } },
    { op: 'Gather', inputs: ['clip', 'third'], outputs: ['c2'], attributes: { axis } },
    { op: 'ReduceMean', inputs: ['c0'], outputs: ['m0'], attributes: { axes: [1, 2, 3, 4], keepdims: 0 } },
    { op: 'ReduceMean', inputs: ['c2'], outputs: ['m2'], attributes: { axes: [1, 2, 3, 4], keepdims: 0 } },
    { op: 'Sub', inputs: ['m0', 'm2'], outputs: ['diff'] },
    { op: 'Mul', inputs: ['diff', 'gain'], outputs: ['scaled'] },
    { op: 'Add', inputs: ['scaled', 'bias'], outputs: ['logit1'] },
    { op: 'Reshape', inputs: ['logit1', 'column'], outputs: ['logit'] },
  ];
  const two = (spec.labelCount ?? 2) === 2;
  if (spec.output === 'probabilities') {
    nodes.push({ op: 'Sigmoid', inputs: ['logit'], outputs: two ? ['p'] : ['scores'] });
    if (two) nodes.push({ op: 'Sub', inputs: ['one', 'p'], outputs: ['q'] }, { op: 'Concat', inputs: ['q', 'p'], outputs: ['scores'], attributes: { axis: 1 } });
  } else if (two) {
    // Softmax over [0, logit] is [1 - sigmoid(logit), sigmoid(logit)].
    nodes.push({ op: 'Mul', inputs: ['logit', 'zero'], outputs: ['other'] }, { op: 'Concat', inputs: ['other', 'logit'], outputs: ['scores'], attributes: { axis: 1 } });
  } else {
    nodes.push({ op: 'Identity', inputs: ['logit'], outputs: ['scores'] });
  }
  const batch = spec.batch ?? 'batch';
  return onnxModel({
    inputs: [{ name: 'clip', shape: clipShape(spec) }],
    outputs: [{ name: 'scores', shape: [batch, two ? 2 : 1] }],
    initializers: {
      first: { dims: [1], data: BigInt64Array.from([0n]) },
      third: { dims: [1], data: BigInt64Array.from([2n]) },
      gain: scalar(spec.gain ?? 8),
      bias: scalar(spec.bias ?? 0),
      // Only what the nodes use: onnxruntime warns about unused initializers.
      ...(nodes.some((n) => n.inputs.includes('one')) ? { one: scalar(1) } : {}),
      ...(nodes.some((n) => n.inputs.includes('zero')) ? { zero: scalar(0) } : {}),
      column: { dims: [2], data: BigInt64Array.from([-1n, 1n]) },
    },
    nodes,
  });
}

/** The manifest entry describing a model from redBlueClipModel. */
export function clipEntry(id: string, file: string, spec: ClipTestModel, extra: Partial<ClipModelEntry> = {}): ClipModelEntry {
  return {
    id,
    file,
    framesPerClip: spec.frames,
    inputLayout: spec.layout,
    inputSize: spec.size,
    channelOrder: 'RGB',
    normalization: { divideBy: 255, mean: [0, 0, 0], std: [1, 1, 1] },
    labels: (spec.labelCount ?? 2) === 2 ? ['non-violence', 'violence'] : ['violence'],
    positiveLabel: 'violence',
    output: spec.output,
    sampleFps: 5,
    licence: 'test',
    sourceUrl: '',
    sha256: '',
    ...extra,
  };
}

/**
 * An app folder (what the engine calls appDir) whose manifest is the repository's plus the
 * given clip models, and a model folder holding their files (none for `bytes: null`).
 */
export function appWithClipModels(root: string, models: { entry: ClipModelEntry; bytes: Uint8Array | null }[]): { appDir: string; modelDir: string; manifestFile: string } {
  const appDir = join(root, 'app');
  const modelDir = join(root, 'clip-models');
  mkdirSync(join(appDir, 'models'), { recursive: true });
  mkdirSync(modelDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'manifest.json'), 'utf8')) as { clipModels?: ClipModelEntry[] };
  manifest.clipModels = [...(manifest.clipModels ?? []), ...models.map((m) => m.entry)];
  const manifestFile = join(appDir, 'models', 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  for (const { entry, bytes } of models) if (bytes) writeFileSync(join(modelDir, entry.file), bytes);
  return { appDir, modelDir, manifestFile };
}
