// Opening an onnxruntime session on the first execution provider that works, noting why each
// preferred one was not used. The detector and the clip classifier load their models this
// way; each names its own reason code for a file that cannot be loaded.
import type { InferenceSession } from 'onnxruntime-node';
import type { DetectReason } from '../../../shared/reasons';
import { DetectError } from './detect-error';
import { cudaProviderInstalled, DEFAULT_PROVIDERS, providerOrder, providerUnavailable, type ProviderFallback } from './execution-provider';
import type { OnnxRuntime } from './onnx-runtime';

/** The part of a model's load options (detector, clip model) that opening its session needs. */
export interface OnnxSessionOptions {
  file: string;
  /** Execution providers by preference; 'cpu' is always tried last. */
  providers?: readonly string[];
  /** onnxruntime intra-op threads; omitted: onnxruntime's default (one per physical core). */
  threads?: number;
  /** Set when a runtime was handed in (tests): it brings its own providers, so none is checked on disk. */
  runtime?: OnnxRuntime;
}

export interface OnnxSession {
  session: InferenceSession;
  /** The provider the session runs on. */
  provider: string;
  /** Providers preferred over it, and why each was not used. */
  fallbacks: ProviderFallback[];
}

/** onnxruntime's messages when the file itself cannot be parsed, whatever the provider. */
const MODEL_LOAD_FAILURE = /^Load model|protobuf|ModelProto|INVALID_GRAPH|INVALID_PROTOBUF|opset/i;

/**
 * @param runtime the onnxruntime to open it with (the one handed in, or the real one)
 * @param corruptCode thrown when no provider can load the file (MODEL_CORRUPT, CLIP_MODEL_CORRUPT)
 */
export async function openOnnxSession(options: OnnxSessionOptions, runtime: OnnxRuntime, corruptCode: DetectReason): Promise<OnnxSession> {
  const { file } = options;
  const fallbacks: ProviderFallback[] = [];
  for (const candidate of providerOrder(options.providers ?? DEFAULT_PROVIDERS)) {
    const skip = providerUnavailable(candidate, runtime, process.platform, options.runtime ? () => true : cudaProviderInstalled);
    if (skip) {
      fallbacks.push({ provider: candidate, reason: skip, tried: false });
      continue;
    }
    try {
      const session = await runtime.InferenceSession.create(file, {
        executionProviders: [candidate],
        // onnxruntime-node rejects an undefined count: leave the key out for its default.
        ...(options.threads !== undefined ? { intraOpNumThreads: options.threads } : {}),
        // One model, one graph path: inter-op threads would only compete with the intra-op pool.
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // onnxruntime's threads spin while waiting for work by default. Between frames (or
        // clips, a second or two apart) that burns whole cores the cameras' FFmpeg needs
        // (measured here: 4.9 CPU-s instead of 1.1 for the same 100 inferences), for about
        // 3 ms less latency per frame.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      return { session, provider: candidate, fallbacks };
    } catch (error) {
      const reason = (error as Error).message.trim();
      // A file that cannot be parsed fails the same way on every provider: stop here.
      if (MODEL_LOAD_FAILURE.test(reason)) throw new DetectError(corruptCode, `${file} cannot be loaded as an ONNX model: ${reason}`, { cause: error });
      fallbacks.push({ provider: candidate, reason, tried: true });
    }
  }
  const tried = fallbacks.map((fallback) => `${fallback.provider}: ${fallback.reason}`).join('; ');
  throw new DetectError(corruptCode, `${file} could not be loaded on any execution provider (${tried}).`);
}
