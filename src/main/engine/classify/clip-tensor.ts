// From pictures to the clip model's input tensor, and from its output to a score per label.
// Pure arithmetic, so every layout, channel order and normalisation is tested without a model.
import { clipInputDims, type ClipModelEntry } from './clip-model-spec';

/** One picture of a clip: packed RGB24, rows without padding. */
export interface ClipFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

type PackSpec = Pick<ClipModelEntry, 'inputLayout' | 'framesPerClip' | 'inputSize' | 'channelOrder' | 'normalization'>;

/**
 * Packs clips of `framesPerClip` RGB24 pictures of the model's input size into the model's
 * layout. Normalisation goes through a 256-entry table per channel, so a 16 x 224 x 224 clip
 * costs one table look-up per value.
 */
export class ClipPacker {
  readonly dims: readonly number[];
  readonly length: number;
  private readonly tables: Float32Array[];
  /** Source channel (0 R, 1 G, 2 B) for each model channel. */
  private readonly sourceChannel: readonly number[];
  /** Index steps in the tensor for one frame, channel, row and column. */
  private readonly step: { t: number; c: number; y: number; x: number };

  constructor(private readonly spec: PackSpec) {
    this.dims = clipInputDims(spec);
    this.length = this.dims.reduce((a, b) => a * b, 1);
    this.sourceChannel = spec.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
    const { divideBy, mean, std } = spec.normalization;
    this.tables = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, value) => (value / divideBy - mean[c]!) / std[c]!));
    const [width, height] = spec.inputSize;
    const frames = spec.framesPerClip;
    const plane = width * height;
    switch (spec.inputLayout) {
      case 'NTHWC':
        this.step = { t: plane * 3, c: 1, y: width * 3, x: 3 };
        break;
      case 'NTCHW':
        this.step = { t: plane * 3, c: plane, y: width, x: 1 };
        break;
      case 'NCTHW':
        this.step = { t: plane, c: plane * frames, y: width, x: 1 };
        break;
    }
  }

  /** The tensor data for one clip; `into` is reused when it has the right length. */
  pack(frames: readonly ClipFrame[], into?: Float32Array): Float32Array {
    const [width, height] = this.spec.inputSize;
    if (frames.length !== this.spec.framesPerClip) throw new RangeError(`a clip needs ${this.spec.framesPerClip} pictures, got ${frames.length}`);
    const out = into && into.length === this.length ? into : new Float32Array(this.length);
    const { t: st, c: sc, y: sy, x: sx } = this.step;
    frames.forEach((frame, t) => {
      if (frame.width !== width || frame.height !== height || frame.data.length !== width * height * 3) {
        throw new RangeError(`picture ${t} is ${frame.width}x${frame.height}, the model takes ${width}x${height}`);
      }
      for (let c = 0; c < 3; c++) {
        const table = this.tables[c]!;
        const source = this.sourceChannel[c]!;
        const base = t * st + c * sc;
        for (let y = 0; y < height; y++) {
          let at = base + y * sy;
          let from = y * width * 3 + source;
          for (let x = 0; x < width; x++, at += sx, from += 3) out[at] = table[frame.data[from]!]!;
        }
      }
    });
    return out;
  }
}

export function softmax(values: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  // Shifted by the largest value so large logits do not overflow exp().
  const exps = Array.from(values, (value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/**
 * One score per label (0-1) from the model's output for one clip. RangeError when the output
 * does not hold one value per label: the caller reports CLIP_MODEL_INCOMPATIBLE.
 */
export function labelScores(output: ArrayLike<number>, entry: Pick<ClipModelEntry, 'labels' | 'output'>): number[] {
  if (output.length !== entry.labels.length) {
    throw new RangeError(`the model gives ${output.length} values for a clip, the manifest names ${entry.labels.length} labels (${entry.labels.join(', ')})`);
  }
  const values = Array.from(output);
  if (values.some((value) => !Number.isFinite(value))) throw new RangeError(`the model output is not finite: [${values.join(', ')}]`);
  if (entry.output === 'probabilities') return values.map((value) => Math.min(1, Math.max(0, value)));
  return values.length === 1 ? [sigmoid(values[0]!)] : softmax(values);
}
