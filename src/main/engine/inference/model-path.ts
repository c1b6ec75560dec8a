// Where model weights are looked up, and whether the file found is the one the manifest
// names. Weights never ship in the repository: they come from `npm run models:fetch` (the
// user's data dir), from an installer (the app's models/), or from a directory the operator
// names in VIGIL_MODEL_PATH, which wins so that a site can pin its own copy.
import { stat } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import type { ModelManifestEntry } from '../../../shared/detection';
import type { ChecksumCache } from './checksum-cache';
import { DetectError } from './detect-error';
import { sha256OfFile } from './file-hash';

export interface ModelPathSources {
  /** The value of VIGIL_MODEL_PATH: directories separated by path.delimiter (":" or ";"). */
  modelPath?: string;
  /** The user data dir; its models/ folder is where models:fetch puts downloads. */
  dataDir?: string;
  /** The application's root (resources dir when packaged); its models/ folder ships with the app. */
  appDir?: string;
}

/** The directories to search, in order, absolute and without duplicates. */
export function modelSearchPath(sources: ModelPathSources): string[] {
  const dirs = [
    ...(sources.modelPath ?? '').split(delimiter).map((dir) => dir.trim()),
    sources.dataDir ? join(sources.dataDir, 'models') : '',
    sources.appDir ? join(sources.appDir, 'models') : '',
  ];
  return [...new Set(dirs.filter((dir) => dir.length > 0).map((dir) => resolve(dir)))];
}

/** The first regular file named `entry.file` in `dirs`, or MODEL_MISSING naming every dir tried. */
export async function findModelFile(entry: Pick<ModelManifestEntry, 'id' | 'file'>, dirs: readonly string[]): Promise<string> {
  for (const dir of dirs) {
    const candidate = join(dir, entry.file);
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  const searched = dirs.length ? dirs.join(', ') : '(no directories: VIGIL_MODEL_PATH is empty and no data or app dir was given)';
  throw new DetectError('MODEL_MISSING', `Model "${entry.id}" (${entry.file}) was not found. Searched: ${searched}. Run \`npm run models:fetch\` or set VIGIL_MODEL_PATH.`);
}

export interface ModelFileCheck {
  file: string;
  /** True when the manifest has a checksum and the file matches it; false when the manifest has none. */
  verified: boolean;
}

/**
 * Checks `file` against the manifest's sha256 (MODEL_CHECKSUM_MISMATCH when it differs).
 * An empty sha256 means "unknown": the file is accepted unverified, and the caller should
 * say so in the log. The cache spares re-hashing an unchanged file at every start.
 */
export async function verifyModelFile(entry: Pick<ModelManifestEntry, 'id' | 'sha256'>, file: string, cache?: ChecksumCache): Promise<ModelFileCheck> {
  if (entry.sha256 === '') return { file, verified: false };
  const info = await stat(file).catch((error: unknown) => {
    throw new DetectError('MODEL_MISSING', `Model file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  });
  const key = { path: resolve(file), size: info.size, mtimeMs: info.mtimeMs };
  let actual = cache?.lookup(key) ?? null;
  if (actual === null) {
    actual = await sha256OfFile(file);
    await cache?.store(key, actual);
  }
  if (actual !== entry.sha256.toLowerCase()) {
    throw new DetectError(
      'MODEL_CHECKSUM_MISMATCH',
      `${file} has sha256 ${actual}, but models/manifest.json expects ${entry.sha256} for "${entry.id}": the file is damaged or a different model. Delete it and run \`npm run models:fetch\`.`,
    );
  }
  return { file, verified: true };
}

/** findModelFile then verifyModelFile: what the inference worker does before loading a model. */
export async function locateModel(entry: ModelManifestEntry, dirs: readonly string[], cache?: ChecksumCache): Promise<ModelFileCheck> {
  return verifyModelFile(entry, await findModelFile(entry, dirs), cache);
}
