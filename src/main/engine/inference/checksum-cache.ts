// Remembers the sha256 of model files between starts, keyed by path, size and mtime, so a
// large model is hashed once after it changes rather than on every start of the worker.
// A file rewritten in place with the same size within the same mtime tick would be missed;
// downloads and copies change the mtime, which is what this guards against.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FileIdentity {
  path: string;
  size: number;
  mtimeMs: number;
}

interface CacheRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export class ChecksumCache {
  private constructor(
    private readonly file: string | null,
    private readonly records: Map<string, CacheRecord>,
  ) {}

  /** A cache kept in `file` (JSON). A missing or unreadable file starts an empty cache. */
  static async open(file: string): Promise<ChecksumCache> {
    const records = new Map<string, CacheRecord>();
    try {
      const json = JSON.parse(await readFile(file, 'utf8')) as { files?: Record<string, Partial<CacheRecord>> };
      for (const [path, record] of Object.entries(json.files ?? {})) {
        if (typeof record.size === 'number' && typeof record.mtimeMs === 'number' && typeof record.sha256 === 'string') {
          records.set(path, { size: record.size, mtimeMs: record.mtimeMs, sha256: record.sha256 });
        }
      }
    } catch {
      // No cache yet, or a damaged one: hashing again is the safe answer.
    }
    return new ChecksumCache(file, records);
  }

  /** A cache that lives only as long as this process (tests, read-only installs). */
  static inMemory(): ChecksumCache {
    return new ChecksumCache(null, new Map());
  }

  lookup(identity: FileIdentity): string | null {
    const record = this.records.get(identity.path);
    return record && record.size === identity.size && record.mtimeMs === identity.mtimeMs ? record.sha256 : null;
  }

  async store(identity: FileIdentity, sha256: string): Promise<void> {
    this.records.set(identity.path, { size: identity.size, mtimeMs: identity.mtimeMs, sha256 });
    if (!this.file) return;
    // Temp file + rename: a crash mid-write leaves the old cache, never half a JSON file.
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify({ files: Object.fromEntries(this.records) }, null, 2));
      await rename(temp, this.file);
    } catch {
      // A read-only data dir costs a re-hash next start, nothing more.
    }
  }
}
