// Builds the detection pipeline at engine start: the model from the manifest and the model
// path, the inference workers, the motion worker. Any problem with the model leaves the
// cameras in motion-only mode with its reason; it never stops the engine.
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { DetectReason } from '../../../shared/reasons';
import { isDetectError } from '../inference/detect-error';
import { providersFromEnv } from '../inference/execution-provider';
import { InferencePool } from '../inference/inference-worker-pool';
import { chooseModel, type ModelChoice } from '../inference/model-choice';
import { forkLauncher, type WorkerLauncher } from '../inference/worker-host';
import { MotionWorker } from '../motion/motion-worker';
import { workerScript } from '../workers/worker-script';
import { DetectionService } from './detection-service';

export interface DetectionSetupOptions {
  dataDir: string;
  /** Folder holding models/manifest.json (the app root, or resources when packaged). */
  appDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How worker processes start: Node's fork by default, utilityProcess on the desktop host. */
  launcher?: WorkerLauncher;
}

export const SCORE_THRESHOLD = 0.35;
export const IOU_THRESHOLD = 0.45;

export function inferenceWorkerScript(): string {
  return workerScript(__dirname, 'inference-worker.js', join(__dirname, '..', 'inference', 'inference-worker.ts'));
}

/** The model to run, or why there is none (then cameras run motion-only). */
export async function resolveModel(options: Pick<DetectionSetupOptions, 'dataDir' | 'appDir' | 'env' | 'log'>): Promise<{ model: ModelChoice | null; unavailable: { reason: DetectReason; message: string } | null }> {
  try {
    const model = await chooseModel({ dataDir: options.dataDir, appDir: options.appDir, env: options.env });
    options.log(`model ${model.entry.id}: ${model.file}${model.verified ? '' : ' (no checksum in the manifest: not verified)'}`);
    return { model, unavailable: null };
  } catch (error) {
    if (!isDetectError(error)) throw error;
    options.log(`detection unavailable (${error.code}): ${error.message}`);
    return { model: null, unavailable: { reason: error.code, message: error.message } };
  }
}

export function createDetection(options: DetectionSetupOptions & { model: ModelChoice | null; unavailable: { reason: DetectReason; message: string } | null }): DetectionService {
  const { env, log, model } = options;
  const motion = new MotionWorker({ log });
  motion.start();
  let pool: InferencePool | null = null;
  if (model) {
    const threads = Number(env.VIGIL_INFERENCE_THREADS) || Math.max(1, Math.min(4, cpus().length));
    pool = new InferencePool({
      launcher: options.launcher ?? forkLauncher,
      script: inferenceWorkerScript(),
      entry: model.entry,
      file: model.file,
      providers: providersFromEnv(env),
      threads,
      size: Math.max(1, Number(env.VIGIL_INFERENCE_WORKERS) || 1),
      scoreThreshold: SCORE_THRESHOLD,
      iouThreshold: IOU_THRESHOLD,
      log,
    });
    pool.start();
  }
  return new DetectionService({ motion, inference: pool, unavailable: options.unavailable, reportLabels: model?.entry.reportLabels ?? null, inputWidth: model?.entry.inputSize[0] ?? null, log });
}
