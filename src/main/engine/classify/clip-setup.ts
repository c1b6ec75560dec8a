// Builds the clip classifier at engine start: the clip model VIGIL_CLIP_MODEL selects from the
// manifest's clipModels, found on the same model path as the detector (VIGIL_MODEL_PATH, the
// data dir's models/, the app's models/) and checked against its sha256. Any problem leaves
// the classifier off with its reason; it never stops the engine or detection.
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import type { DetectReason } from '../../../shared/reasons';
import type { RuleSet } from '../../../shared/rules';
import type { TracksEvent } from '../detect/detection-service';
import { ChecksumCache } from '../inference/checksum-cache';
import { DetectError, isDetectError } from '../inference/detect-error';
import { providersFromEnv } from '../inference/execution-provider';
import { clipModelEntry, loadManifest } from '../inference/manifest';
import { findModelFile, modelSearchPath, verifyModelFile } from '../inference/model-path';
import { forkLauncher, type WorkerLauncher } from '../inference/worker-host';
import { workerScript } from '../workers/worker-script';
import type { PictureBox } from '../rules/sighting';
import { ClipClassifierService } from './clip-classifier-service';
import { ClipClient } from './clip-client';
import type { ClipModelEntry } from './clip-model-spec';

export interface ClipModelChoice {
  entry: ClipModelEntry;
  file: string;
  verified: boolean;
}

export interface ClipSetupOptions {
  dataDir: string;
  appDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  launcher?: WorkerLauncher;
}

export function clipWorkerScript(): string {
  return workerScript(__dirname, 'clip-worker.js', join(__dirname, 'clip-worker.ts'));
}

/**
 * The clip model `id` (a manifest id) names, on the model path and checked; DetectError
 * CLIP_MODEL_MISSING / CLIP_MODEL_CORRUPT / MODEL_MANIFEST_INVALID otherwise. `manifestFile`
 * defaults to the app's models/manifest.json.
 */
export async function chooseClipModel(options: { id: string; dataDir: string; appDir: string; env: NodeJS.ProcessEnv; manifestFile?: string }): Promise<ClipModelChoice> {
  const manifest = await loadManifest(options.manifestFile ?? join(options.appDir, 'models', 'manifest.json'));
  const entry = clipModelEntry(manifest, options.id);
  const dirs = modelSearchPath({ modelPath: options.env.VIGIL_MODEL_PATH, dataDir: options.dataDir, appDir: options.appDir });
  const file = await findModelFile(entry, dirs).catch((error: unknown) => {
    // The detector's message tells the operator to run models:fetch, which has no clip models.
    if (isDetectError(error)) throw new DetectError('CLIP_MODEL_MISSING', `Clip model "${entry.id}" (${entry.file}) was not found. Searched: ${dirs.join(', ') || '(no directories)'}. Vigil ships no clip weights: export the model to ONNX and put ${entry.file} in one of these folders, or set VIGIL_MODEL_PATH.`);
    throw error;
  });
  return verifyClipFile(entry, file, await ChecksumCache.open(join(options.dataDir, 'model-checksums.json')));
}

/** The manifest entry describing a model file given by path (eval:clips --model <file>): matched by file name. */
export function entryForFile(entries: readonly ClipModelEntry[], file: string): ClipModelEntry {
  const entry = entries.find((candidate) => candidate.file === basename(file));
  if (!entry) throw new DetectError('CLIP_MODEL_MISSING', `No clip model in the manifest describes ${basename(file)} (clip model files: ${entries.map((e) => e.file).join(', ') || 'none'}); add an entry to clipModels.`);
  return entry;
}

export async function verifyClipFile(entry: ClipModelEntry, file: string, cache?: ChecksumCache): Promise<ClipModelChoice> {
  try {
    const check = await verifyModelFile(entry, file, cache);
    return { entry, file, verified: check.verified };
  } catch (error) {
    if (!isDetectError(error)) throw error;
    throw new DetectError(error.code === 'MODEL_CHECKSUM_MISMATCH' ? 'CLIP_MODEL_CORRUPT' : 'CLIP_MODEL_MISSING', error.message, { cause: error });
  }
}

/** What the classifier hears from and speaks to (the engine's detection and incident services). */
export interface ClipClassifierWiring {
  detection: { on(event: 'tracks', listener: (event: TracksEvent) => void): unknown };
  incidents: {
    rules(cameraId: string): RuleSet;
    classifierScore(cameraId: string, label: string, score: number, at: number, zoneBox?: PictureBox): void;
    on(event: 'rules', listener: (cameraId: string) => void): unknown;
  };
}

/** The service, following the engine's pictures and rules, with its worker started when a clip model is selected and found. */
export async function startClipClassifier(options: ClipSetupOptions & ClipClassifierWiring): Promise<ClipClassifierService> {
  const { env, log } = options;
  const id = env.VIGIL_CLIP_MODEL?.trim();
  let choice: ClipModelChoice | null = null;
  let unavailable: { reason: DetectReason; message: string } | null = null;
  if (!id) {
    unavailable = { reason: 'CLIP_MODEL_MISSING', message: 'VIGIL_CLIP_MODEL is not set: no clip classifier runs, and classifier rules raise nothing.' };
  } else {
    try {
      choice = await chooseClipModel({ id, dataDir: options.dataDir, appDir: options.appDir, env });
      log(`clip model ${choice.entry.id}: ${choice.file}${choice.verified ? '' : ' (no checksum in the manifest: not verified)'}`);
    } catch (error) {
      if (!isDetectError(error)) throw error;
      unavailable = { reason: error.code, message: error.message };
      log(`clip classifier unavailable (${error.code}): ${error.message}`);
    }
  }
  let scorer: ClipClient | null = null;
  if (choice) {
    scorer = new ClipClient({
      launcher: options.launcher ?? forkLauncher,
      script: clipWorkerScript(),
      entry: choice.entry,
      file: choice.file,
      providers: providersFromEnv(env),
      // A clip every second or two per watched region: fewer threads than the detector, which runs all the time.
      threads: Number(env.VIGIL_CLIP_THREADS) || Math.max(1, Math.min(2, cpus().length)),
      log,
    });
    scorer.start();
  }
  const { incidents } = options;
  const service = new ClipClassifierService({
    scorer,
    entry: choice?.entry ?? null,
    unavailable,
    rulesOf: (cameraId) => {
      try {
        return incidents.rules(cameraId);
      } catch {
        // A camera deleted while its last pictures were on their way.
        return null;
      }
    },
    score: (...score) => incidents.classifierScore(...score),
    log,
  });
  service.follow(options.detection);
  incidents.on('rules', (cameraId) => service.rulesChanged(cameraId));
  return service;
}
