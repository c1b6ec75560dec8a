// One loaded clip classifier: an onnxruntime session, its input checked against the manifest
// entry, and classify(): pictures of any size in, one score per label out. It runs where
// onnxruntime may run: the clip worker process, or the eval:clips command line. Never on the
// engine's main thread.
import { stat } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { dimFits, formatShape, isDynamicDim, type TensorShape } from '../inference/adapters/tensor-shape';
import { DetectError } from '../inference/detect-error';
import type { ProviderFallback } from '../inference/execution-provider';
import { loadOnnxRuntime, type OnnxRuntime } from '../inference/onnx-runtime';
import { openOnnxSession } from '../inference/onnx-session';
import { Resampler } from '../inference/resample';
import { clipInputDims, describeClipInput, type ClipModelEntry } from './clip-model-spec';
import { ClipPacker, labelScores, type ClipFrame } from './clip-tensor';

export interface ClipModelLoadOptions {
  entry: ClipModelEntry;
  file: string;
  providers?: readonly string[];
  threads?: number;
  log: (line: string) => void;
  /** Stands in for onnxruntime-node (tests); loaded on demand otherwise. */
  runtime?: OnnxRuntime;
}

export class ClipModel {
  private readonly packer: ClipPacker;
  private readonly resampler = new Resampler('bilinear');
  private input: Float32Array;
  // classify() calls share the input buffer: they run one after the other.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
    readonly entry: ClipModelEntry,
    readonly provider: string,
    readonly fallbacks: readonly ProviderFallback[],
  ) {
    this.packer = new ClipPacker(entry);
    this.input = new Float32Array(this.packer.length);
  }

  static async load(options: ClipModelLoadOptions): Promise<ClipModel> {
    const { entry, file, log } = options;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new DetectError('CLIP_MODEL_MISSING', `Clip model file ${file} does not exist.`);
    const runtime = options.runtime ?? (await loadOnnxRuntime());
    const { session, provider, fallbacks } = await openOnnxSession(options, runtime, 'CLIP_MODEL_CORRUPT');
    const problem = shapeProblem(session, entry);
    if (problem) {
      await session.release().catch(() => undefined);
      throw new DetectError('CLIP_MODEL_INCOMPATIBLE', `${file} does not fit clip model "${entry.id}": ${problem}.`);
    }
    log(`clip model ${entry.id} on ${provider}: input ${describeClipInput(entry)}, labels ${entry.labels.join(', ')}`);
    return new ClipModel(runtime, session, entry, provider, fallbacks);
  }

  /**
   * Scores one clip of `framesPerClip` RGB24 pictures (crops of any size: each is resized to
   * the model's input, without keeping the aspect ratio, as training pipelines resize whole
   * frames). One score per label, in the manifest's label order.
   */
  classify(frames: readonly ClipFrame[]): Promise<number[]> {
    return this.serialized(async () => {
      const [width, height] = this.entry.inputSize;
      const sized = frames.map((frame) => {
        if (frame.data.length !== frame.width * frame.height * 3) throw new RangeError(`a picture of ${frame.width}x${frame.height} cannot hold ${frame.data.length} bytes`);
        if (frame.width === width && frame.height === height) return frame;
        // The resampler's buffer is reused by its next call (and may be longer): copy out this picture.
        const resized = this.resampler.resize(frame.data, frame.width, frame.height, width, height);
        return { width, height, data: new Uint8Array(resized.subarray(0, width * height * 3)) };
      });
      this.input = this.packer.pack(sized, this.input);
      const inputName = this.session.inputNames[0]!;
      const outputName = this.session.outputNames[0]!;
      const results = await this.session.run({ [inputName]: new this.runtime.Tensor('float32', this.input, clipInputDims(this.entry)) }, [outputName]);
      const output = results[outputName] as Tensor | undefined;
      if (!output || output.type !== 'float32') {
        throw new DetectError('CLIP_MODEL_INCOMPATIBLE', `${this.entry.id}: output ${outputName} is ${output?.type ?? 'missing'}, not float32.`);
      }
      try {
        return labelScores(output.data as Float32Array, this.entry);
      } catch (error) {
        throw new DetectError('CLIP_MODEL_INCOMPATIBLE', `${this.entry.id}: ${(error as Error).message} (output shape ${formatShape(output.dims)}).`, { cause: error });
      }
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.session.release();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Why the session's input or output cannot be the entry's, or null (unknown shapes pass: checked on the first run). */
export function shapeProblem(session: Pick<InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>, entry: ClipModelEntry): string | null {
  if (session.inputNames.length !== 1) return `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}), not one clip input`;
  const input = tensorMeta(session.inputMetadata?.[0]);
  const output = tensorMeta(session.outputMetadata?.[0]);
  if (input?.type !== undefined && input.type !== 'float32') return `its input is ${input.type}, not float32`;
  const expected = clipInputDims(entry);
  if (input?.shape) {
    const fits = input.shape.length === 5 && input.shape.every((dim, index) => (index === 0 ? isDynamicDim(dim) || dim === 1 : dimFits(dim, expected[index]!)));
    if (!fits) return `input ${formatShape(input.shape)} is not ${describeClipInput(entry)}`;
  }
  if (output?.shape) {
    const last = output.shape.at(-1);
    const fixed = output.shape.filter((dim) => !isDynamicDim(dim)).reduce<number>((a, b) => a * (b as number), 1);
    if (!dimFits(last, entry.labels.length) || fixed > entry.labels.length) {
      return `output ${formatShape(output.shape)} does not hold one value per label (${entry.labels.length}: ${entry.labels.join(', ')})`;
    }
  }
  return null;
}

function tensorMeta(meta: InferenceSession.ValueMetadata | undefined): { type: string; shape: TensorShape | undefined } | null {
  if (!meta?.isTensor) return null;
  return { type: meta.type, shape: meta.shape.length > 0 ? meta.shape : undefined };
}
