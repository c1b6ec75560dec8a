// One loaded model, ready to find objects in frames. This is what the inference worker runs:
// it owns the onnxruntime session and the input buffer, and hides the model family behind
// its adapter, so the worker deals only in frames in and detections out.
import { stat } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Detection, ModelManifestEntry } from '../../../shared/detection';
import { createAdapter, type ModelAdapter } from './adapters/adapter';
import { formatShape, isDynamicDim, type TensorShape } from './adapters/tensor-shape';
import { DetectError } from './detect-error';
import type { ProviderFallback } from './execution-provider';
import { Letterboxer, letterboxGeometry, letterboxLength, type LetterboxGeometry } from './letterbox';
import { loadOnnxRuntime, type OnnxRuntime } from './onnx-runtime';
import { openOnnxSession } from './onnx-session';
import type { RawFrame } from './raw-frame';

export interface DetectorLoadOptions {
  entry: ModelManifestEntry;
  /** The model file, as found by locateModel. */
  file: string;
  /** Execution providers by preference ('cuda', 'dml', 'coreml', 'cpu'); 'cpu' is always tried last. */
  providers?: readonly string[];
  /** onnxruntime intra-op threads; omitted: onnxruntime's default (one per physical core). */
  threads?: number;
  /** Frames per session.run when the model has a dynamic batch dimension (default 8). */
  maxBatch?: number;
  log: (line: string) => void;
  /** Stands in for onnxruntime-node (tests); loaded on demand otherwise. */
  runtime?: OnnxRuntime;
}

export interface DetectOptions {
  /** Minimum score kept (default 0.35). */
  scoreThreshold?: number;
  /** Same-class overlap above which the weaker box is dropped (default 0.45). */
  iouThreshold?: number;
}

export interface TensorResult {
  data: Float32Array;
  dims: readonly number[];
}

export const DEFAULT_SCORE_THRESHOLD = 0.35;
export const DEFAULT_IOU_THRESHOLD = 0.45;

export class Detector {
  /** Frames per session.run: 1 unless the model's batch dimension is dynamic. */
  readonly maxBatch: number;
  /** Floats one letterboxed frame takes in the input tensor. */
  readonly frameLength: number;
  private input: Float32Array;
  private readonly letterboxer: Letterboxer;
  private readonly geometries: LetterboxGeometry[] = [];
  // detect() and runTensor() share the input buffer: calls run one after the other.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
    readonly entry: ModelManifestEntry,
    readonly adapter: ModelAdapter,
    /** The provider the session runs on. */
    readonly provider: string,
    /** Providers preferred over it, and why each was not used. */
    readonly fallbacks: readonly ProviderFallback[],
    readonly dynamicBatch: boolean,
    maxBatch: number,
  ) {
    this.maxBatch = dynamicBatch ? maxBatch : 1;
    this.frameLength = letterboxLength(adapter.letterbox);
    this.input = new Float32Array(this.frameLength);
    this.letterboxer = new Letterboxer(adapter.letterbox);
  }

  static async load(options: DetectorLoadOptions): Promise<Detector> {
    const { entry, file, log } = options;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new DetectError('MODEL_MISSING', `Model file ${file} does not exist.`);
    const runtime = options.runtime ?? (await loadOnnxRuntime());
    const adapter = createAdapter(entry);

    const { session, provider, fallbacks } = await openOnnxSession(options, runtime, 'MODEL_CORRUPT');

    const inputShape = tensorShape(session, 'input');
    const outputShape = tensorShape(session, 'output');
    const problem =
      session.inputNames.length !== 1
        ? `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}), not one image input`
        : adapter.checkShapes(inputShape, outputShape);
    if (problem) {
      await session.release().catch(() => undefined);
      throw new DetectError(
        'MODEL_INCOMPATIBLE',
        `${file} does not fit model "${entry.id}" (format ${entry.format}): ${problem}. The model has ${describeTensors(session)}.`,
      );
    }

    const dynamicBatch = inputShape !== undefined && isDynamicDim(inputShape[0]);
    const detector = new Detector(runtime, session, entry, adapter, provider, fallbacks, dynamicBatch, Math.max(1, options.maxBatch ?? 8));
    const skipped = fallbacks.map((fallback) => `${fallback.provider}: ${fallback.reason}`).join('; ');
    log(`detector ${entry.id} (${entry.format}) on ${provider}${skipped ? ` [not used: ${skipped}]` : ''}; ${describeTensors(session)}; batch ${detector.maxBatch}`);
    return detector;
  }

  /**
   * Finds objects in each frame (packed BGR24, or RGB24 with pixelFormat 'rgb24'), in source
   * pixels, all classes of the model: filtering by reportLabels is the caller's step. One
   * result per frame, in order.
   */
  detect(frames: readonly RawFrame[], options: DetectOptions = {}): Promise<Detection[][]> {
    const decode = {
      scoreThreshold: options.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD,
      iouThreshold: options.iouThreshold ?? DEFAULT_IOU_THRESHOLD,
    };
    return this.serialized(async () => {
      const results: Detection[][] = [];
      for (let start = 0; start < frames.length; start += this.maxBatch) {
        const batch = frames.slice(start, start + this.maxBatch);
        const input = this.inputFor(batch.length);
        batch.forEach((frame, index) => (this.geometries[index] = this.letterboxer.letterbox(frame, input, index * this.frameLength)));
        const output = await this.run(input, batch.length);
        for (let index = 0; index < batch.length; index++) {
          try {
            results.push(this.adapter.decode(output.data, output.dims, index, this.geometries[index]!, decode));
          } catch (error) {
            if (!(error instanceof RangeError)) throw error;
            throw new DetectError('MODEL_INCOMPATIBLE', `${this.entry.id}: ${error.message}`, { cause: error });
          }
        }
      }
      return results;
    });
  }

  /**
   * The frame size to ask FFmpeg's detect output for, given the camera's picture size: the
   * picture scaled to fit the model input. Frames of this size skip the resize step of the
   * letterbox (about 0.5 ms instead of 10+ ms per frame in JavaScript).
   */
  frameSizeFor(sourceWidth: number, sourceHeight: number): { width: number; height: number } {
    const { resizedWidth, resizedHeight } = letterboxGeometry(sourceWidth, sourceHeight, this.adapter.letterbox);
    return { width: resizedWidth, height: resizedHeight };
  }

  /**
   * Runs the session on ready-made NCHW input (`batch` frames of `frameLength` floats):
   * the pure model time, for benchmarks. `batch` above 1 needs a dynamic batch dimension.
   */
  runTensor(input: Float32Array, batch = 1): Promise<TensorResult> {
    if (batch < 1 || batch > this.maxBatch) throw new RangeError(`batch ${batch} is outside 1-${this.maxBatch} for this model`);
    if (input.length !== batch * this.frameLength) throw new RangeError(`input of ${input.length} floats is not ${batch} x ${this.frameLength}`);
    return this.serialized(() => this.run(input, batch));
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.session.release();
  }

  private async run(input: Float32Array, batch: number): Promise<TensorResult> {
    const { width, height } = this.adapter.letterbox;
    const feeds = { [this.session.inputNames[0]!]: new this.runtime.Tensor('float32', input, [batch, 3, height, width]) };
    const outputName = this.session.outputNames[0]!;
    const results = await this.session.run(feeds, [outputName]);
    const output = results[outputName] as Tensor | undefined;
    if (!output || output.type !== 'float32') {
      throw new DetectError('MODEL_INCOMPATIBLE', `${this.entry.id}: output ${outputName} is ${output?.type ?? 'missing'}, not float32.`);
    }
    return { data: output.data as Float32Array, dims: output.dims };
  }

  /** The shared input buffer as a view of exactly `batch` frames, grown when needed. */
  private inputFor(batch: number): Float32Array {
    const length = batch * this.frameLength;
    if (this.input.length < length) this.input = new Float32Array(length);
    return this.input.length === length ? this.input : this.input.subarray(0, length);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function tensorShape(session: InferenceSession, side: 'input' | 'output'): TensorShape | undefined {
  // Metadata arrived in onnxruntime 1.21, and an undefined shape reads []; without one,
  // shapes are checked on the first run instead.
  const metadata = side === 'input' ? session.inputMetadata : session.outputMetadata;
  const first = metadata?.[0];
  return first?.isTensor && first.shape.length > 0 ? first.shape : undefined;
}

function describeTensors(session: InferenceSession): string {
  const list = (names: readonly string[], side: 'input' | 'output') =>
    names
      .map((name, index) => {
        const meta = (side === 'input' ? session.inputMetadata : session.outputMetadata)?.[index];
        return `${name} ${meta?.isTensor ? formatShape(meta.shape) : '[?]'}`;
      })
      .join(', ');
  return `input ${list(session.inputNames, 'input')}, output ${list(session.outputNames, 'output')}`;
}
