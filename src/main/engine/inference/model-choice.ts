// Which model this installation runs, and where its weights are: the manifest's default (or
// VIGIL_MODEL), searched on the model path and checked against its sha256.
import { join } from 'node:path';
import type { ModelManifestEntry } from '../../../shared/detection';
import { ChecksumCache } from './checksum-cache';
import { loadManifest, manifestEntry } from './manifest';
import { locateModel, modelSearchPath } from './model-path';

export interface ModelChoice {
  entry: ModelManifestEntry;
  file: string;
  verified: boolean;
}

/** Throws DetectError (MODEL_MANIFEST_INVALID, MODEL_MISSING, MODEL_CHECKSUM_MISMATCH). */
export async function chooseModel(options: { dataDir: string; appDir: string; env: NodeJS.ProcessEnv }): Promise<ModelChoice> {
  const manifest = await loadManifest(join(options.appDir, 'models', 'manifest.json'));
  const entry = manifestEntry(manifest, options.env.VIGIL_MODEL || undefined);
  const dirs = modelSearchPath({ modelPath: options.env.VIGIL_MODEL_PATH, dataDir: options.dataDir, appDir: options.appDir });
  const cache = await ChecksumCache.open(join(options.dataDir, 'model-checksums.json'));
  const { file, verified } = await locateModel(entry, dirs, cache);
  return { entry, file, verified };
}
