// onnxruntime-node is a native addon: a missing prebuilt binary or a wrong libc makes it fail
// to load. That must cost detection (cameras run motion-only), never the engine, so it is
// loaded on demand and its failure becomes a reason code.
import { DetectError } from './detect-error';

export type OnnxRuntime = typeof import('onnxruntime-node');

export async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new DetectError('INFERENCE_UNAVAILABLE', `onnxruntime-node cannot be loaded: ${(error as Error).message}`, { cause: error });
  }
}
