// The exports folder (<data dir>/exports): one folder per finished job, named by its id.
// Jobs live in memory; a restart finds the finished ones again from their signed manifests,
// and removes the `.partial` folders a crash left (they were never finished exports).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportJob } from '../../../shared/exports';
import { MANIFEST_FILE, SIGNATURE_FILE, manifestSchema, walkFolder, type EvidenceManifest } from './evidence-manifest';

/** Job ids are folder names: a timestamp and random hex, nothing a path could be built from. */
export const EXPORT_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface ExportSummary {
  manifestSha256: string;
  /** Every file in the folder, manifest and signature included. */
  files: number;
  bytes: number;
}

export function newExportId(now: number, random: string): string {
  // 2025-03-14T09:00:00.000Z -> 20250314T090000Z: sorts by time, safe in any file system.
  return `${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-${random}`;
}

/** The folder's size and file count, and the SHA-256 of its manifest (what the audit row names). */
export async function summarizeExport(folder: string): Promise<ExportSummary> {
  const manifest = await readFile(join(folder, MANIFEST_FILE));
  let bytes = 0;
  const entries = await walkFolder(folder);
  for (const entry of entries) bytes += (await stat(join(folder, entry.path))).size;
  return { manifestSha256: createHash('sha256').update(manifest).digest('hex'), files: entries.length, bytes };
}

export function jobFromManifest(id: string, manifest: EvidenceManifest, summary: ExportSummary, extra: Partial<ExportJob> = {}): ExportJob {
  const createdAt = Date.parse(manifest.createdAt);
  return {
    id,
    state: 'done',
    progress: 1,
    title: manifest.title,
    incidentId: manifest.incidentId ?? null,
    cameraIds: manifest.cameras.map((c) => c.id),
    from: manifest.range.from,
    to: manifest.range.to,
    burnInBoxes: manifest.burnInBoxes,
    who: manifest.exportedBy ?? null,
    createdAt: Number.isNaN(createdAt) ? 0 : createdAt,
    finishedAt: Number.isNaN(createdAt) ? null : createdAt,
    reason: null,
    message: null,
    fingerprint: manifest.fingerprint,
    ...summary,
    ...extra,
  };
}

/**
 * Finished exports on disk, newest first: folders whose manifest parses and whose signature
 * checks against the key inside it (cheap; the files' hashes are the recipient's to check).
 * Stale `.partial` folders are removed; anything else is left alone and logged.
 */
export async function scanExports(root: string, log: (line: string) => void): Promise<ExportJob[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const jobs: ExportJob[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const folder = join(root, entry.name);
    if (entry.name.endsWith('.partial')) {
      await rm(folder, { recursive: true, force: true });
      log(`exports: removed ${entry.name}, left unfinished by the last run`);
      continue;
    }
    if (!EXPORT_ID.test(entry.name)) continue;
    try {
      const bytes = await readFile(join(folder, MANIFEST_FILE));
      const manifest = manifestSchema.parse(JSON.parse(bytes.toString('utf8')));
      const signature = await readFile(join(folder, SIGNATURE_FILE), 'utf8');
      if (!verify(null, bytes, createPublicKey(manifest.publicKey), Buffer.from(signature.trim(), 'base64'))) throw new Error('its signature does not match the manifest');
      jobs.push(jobFromManifest(entry.name, manifest, await summarizeExport(folder)));
    } catch (error) {
      log(`exports: ${entry.name} is not a finished export and is not listed: ${(error as Error).message}`);
    }
  }
  return jobs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

/** An ASCII file name for the download: browsers and file systems everywhere take it as is. */
export function archiveFileName(job: Pick<ExportJob, 'id' | 'title'>): string {
  const slug = job.title
    .normalize('NFKD')
    // Accents come apart from their letters (é -> e + ´); the marks go, the letters stay.
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `vigil-evidence-${slug ? `${slug}-` : ''}${job.id}.zip`;
}
