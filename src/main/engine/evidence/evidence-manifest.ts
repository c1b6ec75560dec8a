// manifest.json: what an export folder must hold, byte for byte, and who says so. The
// signature (manifest.sig) covers the manifest's exact bytes, and the manifest lists every
// other file with its size and SHA-256, so one signature check plus one hash per file
// proves the whole folder. Shared by the exporter and the verifier so both read it alike.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const MANIFEST_FORMAT = 'vigil-evidence/1';

const range = z.object({ from: z.number(), to: z.number(), fromIso: z.string(), toIso: z.string() });

const listedFile = z.object({
  /** Relative, forward slashes: the same on every OS the folder is copied to. */
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const camera = z.object({
  id: z.string(),
  name: z.string(),
  /** null when the camera recorded nothing in the range. */
  file: z.string().nullable(),
  /** Wall-clock ms at clip time 0 and at its end; null without a clip. */
  clipStart: z.number().nullable(),
  clipEnd: z.number().nullable(),
  coverage: z.array(z.object({ from: z.number(), to: z.number() })),
  /**
   * With burnInBoxes: a second clip made from `file` with the track boxes drawn in
   * (re-encoded, so not the recorded bytes); null when the camera has no clip. `file` stays
   * the evidence original either way. Absent in manifests written before burn-in existed.
   */
  boxesFile: z.string().nullable().optional(),
});

// Unknown fields are kept (loose), so a newer exporter's manifest still verifies here.
export const manifestSchema = z.looseObject({
  format: z.literal(MANIFEST_FORMAT),
  title: z.string(),
  exporter: z.looseObject({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  range,
  /** How each camera's `file` was made: always the recorded bytes, cut by stream copy. */
  video: z.literal('stream-copy'),
  /** Whether the folder also holds a boxes copy per camera (cameras[].boxesFile). */
  burnInBoxes: z.boolean(),
  /** The incident exported, when the export is of one; who asked for the export. */
  incidentId: z.string().nullable().optional(),
  exportedBy: z.string().nullable().optional(),
  cameras: z.array(camera),
  files: z.array(listedFile),
  publicKey: z.string(),
  fingerprint: z.string(),
});

export type EvidenceManifest = z.infer<typeof manifestSchema>;
export type ListedFile = z.infer<typeof listedFile>;
export type ManifestCamera = z.infer<typeof camera>;

/** Every entry under root as a relative forward-slash path, sorted; directories are walked, not listed. */
export async function walkFolder(root: string): Promise<{ path: string; kind: 'file' | 'other' }[]> {
  const found: { path: string; kind: 'file' | 'other' }[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else found.push({ path, kind: entry.isFile() ? 'file' : 'other' });
    }
  };
  await walk('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Streams the file: exports hold hours of video, never read whole into memory. */
export async function hashFile(file: string, onBytes: (bytes: number) => void = () => {}): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onBytes(chunk.length);
  }
  return { size, sha256: hash.digest('hex') };
}

/** A listed path must stay inside the folder: a manifest naming ../x or /x is not one this exporter wrote. */
export function isSafeListedPath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
