import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChecksumCache } from '../../../src/main/engine/inference/checksum-cache';
import { findModelFile, locateModel, modelSearchPath, verifyModelFile } from '../../../src/main/engine/inference/model-path';
import type { ModelManifestEntry } from '../../../src/shared/detection';

const MODEL_BYTES = Buffer.from('not really weights, but bytes with a known sha256');
const SHA = createHash('sha256').update(MODEL_BYTES).digest('hex');
const ENTRY: ModelManifestEntry = { id: 'tiny', file: 'tiny.onnx', format: 'yolox', inputSize: [416, 416], labels: ['person'], licence: 'test', sourceUrl: '', sha256: SHA };

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-model-path-'));
});

function dir(name: string, withModel?: Buffer): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  if (withModel) writeFileSync(join(path, ENTRY.file), withModel);
  return path;
}

describe('modelSearchPath', () => {
  it('lists VIGIL_MODEL_PATH entries, then <data dir>/models, then <app dir>/models', () => {
    const path = modelSearchPath({ modelPath: ['/site/models', '', ' /mnt/share '].join(delimiter), dataDir: '/home/op/.local/share/vigil', appDir: '/opt/vigil' });
    expect(path).toEqual(['/site/models', '/mnt/share', '/home/op/.local/share/vigil/models', '/opt/vigil/models']);
  });

  it('drops duplicates and resolves relative entries', () => {
    const path = modelSearchPath({ modelPath: `models${delimiter}/x/models`, appDir: '/x' });
    expect(path).toEqual([join(process.cwd(), 'models'), '/x/models']);
    expect(modelSearchPath({})).toEqual([]);
  });
});

describe('findModelFile', () => {
  it('takes the first directory that holds the file', async () => {
    const empty = dir('empty');
    const first = dir('first', MODEL_BYTES);
    const second = dir('second', MODEL_BYTES);
    expect(await findModelFile(ENTRY, [empty, first, second])).toBe(join(first, 'tiny.onnx'));
  });

  it('ignores a directory of the model name', async () => {
    const trap = dir('trap');
    mkdirSync(join(trap, ENTRY.file));
    const real = dir('real', MODEL_BYTES);
    expect(await findModelFile(ENTRY, [trap, real])).toBe(join(real, 'tiny.onnx'));
  });

  it('fails with MODEL_MISSING naming every directory searched and what to do', async () => {
    const a = dir('a');
    const b = join(root, 'does-not-exist');
    const error = await findModelFile(ENTRY, [a, b]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DetectError', code: 'MODEL_MISSING' });
    expect((error as Error).message).toContain(`Searched: ${a}, ${b}`);
    expect((error as Error).message).toContain('npm run models:fetch');
    await expect(findModelFile(ENTRY, [])).rejects.toMatchObject({ code: 'MODEL_MISSING', message: expect.stringContaining('no directories') });
  });
});

describe('verifyModelFile', () => {
  it('accepts a file matching the manifest checksum', async () => {
    const file = join(dir('ok', MODEL_BYTES), ENTRY.file);
    expect(await verifyModelFile(ENTRY, file)).toEqual({ file, verified: true });
    expect(await locateModel(ENTRY, [dirname(file)])).toEqual({ file, verified: true });
  });

  it('fails with MODEL_CHECKSUM_MISMATCH on other bytes, naming both checksums', async () => {
    const file = join(dir('bad', Buffer.from('a different model')), ENTRY.file);
    const error = await verifyModelFile(ENTRY, file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
    expect((error as Error).message).toContain(SHA);
    expect((error as Error).message).toContain(createHash('sha256').update('a different model').digest('hex'));
  });

  it('accepts any file, unverified, when the manifest has no checksum', async () => {
    const file = join(dir('unknown', Buffer.from('anything')), ENTRY.file);
    expect(await verifyModelFile({ ...ENTRY, sha256: '' }, file)).toEqual({ file, verified: false });
  });

  it('remembers checksums by path, size and mtime across restarts, and re-hashes a changed file', async () => {
    const file = join(dir('cached', MODEL_BYTES), ENTRY.file);
    // A whole-second mtime, so that the test can put the same one back after tampering.
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(file, mtime, mtime);
    const cacheFile = join(root, 'data', 'model-checksums.json');
    await verifyModelFile(ENTRY, file, await ChecksumCache.open(cacheFile));
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as { files: Record<string, { sha256: string; size: number }> };
    expect(stored.files[file]).toMatchObject({ sha256: SHA, size: MODEL_BYTES.length });

    // Same size and mtime: the next start trusts the cache and does not read the file.
    const tampered = Buffer.from(MODEL_BYTES);
    tampered[0] = tampered[0]! ^ 1;
    writeFileSync(file, tampered);
    utimesSync(file, mtime, mtime);
    expect(await verifyModelFile(ENTRY, file, await ChecksumCache.open(cacheFile))).toMatchObject({ verified: true });

    // A new mtime (any download or copy) makes it hash again and catch the change.
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    await expect(verifyModelFile(ENTRY, file, await ChecksumCache.open(cacheFile))).rejects.toMatchObject({ code: 'MODEL_CHECKSUM_MISMATCH' });
  });

  it('starts afresh from a damaged cache file', async () => {
    const cacheFile = join(root, 'model-checksums.json');
    writeFileSync(cacheFile, '{ not json');
    const file = join(dir('fresh', MODEL_BYTES), ENTRY.file);
    expect(await verifyModelFile(ENTRY, file, await ChecksumCache.open(cacheFile))).toMatchObject({ verified: true });
  });
});
