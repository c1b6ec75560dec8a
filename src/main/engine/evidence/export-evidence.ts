// An evidence export: one folder a control room can hand over (USB stick, evidence
// locker) with a clip per camera, the tracks and the audit trail, the snapshots, and a
// signed manifest that lets the recipient prove none of it changed. Recording and
// incidents hand their data in as plain values, so this knows neither's storage.
//
// Everything is written into `<outDir>.partial` and renamed to outDir only when the
// manifest is signed: a crash, a full disk or a cancel never leaves a folder under the
// final name that looks like a finished export.
import { sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExportError } from './export-error';
import { actionsCsv, actionsJson, tracksCsv, tracksJson, type EvidenceAction, type EvidenceTrack } from './evidence-tables';
import { MANIFEST_FILE, MANIFEST_FORMAT, SIGNATURE_FILE, hashFile, walkFolder, type EvidenceManifest, type ListedFile, type ManifestCamera } from './evidence-manifest';
import { planFootage, type FootagePlan, type RecordingSegment, type TimeRange } from './footage-plan';
import type { InstallationKey } from './installation-key';
import { trimClip } from './trim-clip';
import { boxIntervals, burnIn, drawboxScript } from './burn-in';
import { ByteProgress } from './byte-progress';
import { safeName, UniqueNames } from './safe-names';

/** Re-encoding a clip costs this many times what copying its bytes does, for progress. */
const BURN_IN_WEIGHT = 4;

export interface ExportCamera {
  id: string;
  name: string;
  segments: readonly RecordingSegment[];
}

export interface ExportSnapshot {
  /** The file name it gets in snapshots/ (made safe and unique). */
  name: string;
  path: string;
}

export interface ExportRequest {
  /** The finished export's folder; must not exist yet. */
  outDir: string;
  ffmpegPath: string;
  key: InstallationKey;
  /** Written into the manifest: which Vigil made the export. */
  exporterVersion: string;
  title: string;
  range: TimeRange;
  cameras: readonly ExportCamera[];
  tracks?: readonly EvidenceTrack[];
  actions?: readonly EvidenceAction[];
  snapshots?: readonly ExportSnapshot[];
  /**
   * Also write video/<camera>-boxes.mp4 per clip: the clip re-encoded with the tracks' boxes
   * drawn in. The stream-copied clip stays in the folder as the evidence original.
   */
  burnInBoxes?: boolean;
  /** Written into the manifest: the incident exported, and who asked for the export. */
  incidentId?: string | null;
  exportedBy?: string | null;
  /** 0-1 by bytes processed: segments read by FFmpeg, snapshots copied, files hashed. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** For tests: the creation time written into the manifest. */
  now?: () => Date;
}

export async function exportEvidence(request: ExportRequest): Promise<EvidenceManifest> {
  const { outDir, range } = request;
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to <= range.from) {
    throw new ExportError('EXPORT_BAD_RANGE', `The range must end after it starts (from ${range.from}, to ${range.to}).`);
  }
  if (existsSync(outDir)) throw new ExportError('EXPORT_EXISTS', `${outDir} already exists; an export never overwrites another.`);

  const plans = request.cameras.map((camera) => ({ camera, plan: planFootage(camera.segments, range) }));
  if (plans.every((p) => p.plan === null)) {
    throw new ExportError('EXPORT_NO_FOOTAGE', `No recording of ${request.cameras.map((c) => c.name).join(', ') || 'any camera'} covers ${isoRange(range)}.`);
  }
  const snapshots = request.snapshots ?? [];
  const inputBytes = await sizeInputs(plans.flatMap((p) => p.plan?.segments.map((s) => s.path) ?? []), snapshots.map((s) => s.path));

  const partial = `${outDir}.partial`;
  const burnInBytes = request.burnInBoxes ? (await sizeOf(plans.flatMap((p) => p.plan?.segments.map((s) => s.path) ?? []))) * BURN_IN_WEIGHT : 0;
  const progress = new ByteProgress(inputBytes, request.onProgress, burnInBytes);
  try {
    // A .partial left by a crashed export is ours by name and never a finished export.
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });

    const cameras: ManifestCamera[] = [];
    const clipNames = new UniqueNames();
    for (const { camera, plan } of plans) {
      checkCancelled(request.signal);
      if (!plan) {
        cameras.push({ id: camera.id, name: camera.name, file: null, clipStart: null, clipEnd: null, coverage: [] });
        continue;
      }
      const file = `video/${clipNames.take(safeName(camera.id || camera.name, 'camera'), '.mp4')}`;
      await writeClip(request, partial, file, camera, plan, progress);
      let boxesFile: string | null = null;
      if (request.burnInBoxes) {
        // Taken from the same set as the clips' names: a camera whose id ends in -boxes cannot collide.
        boxesFile = `video/${clipNames.take(`${file.slice('video/'.length, -'.mp4'.length)}-boxes`, '.mp4')}`;
        await writeBoxesClip(request, partial, file, boxesFile, camera, plan, progress);
      }
      cameras.push({ id: camera.id, name: camera.name, file, clipStart: plan.clipStart, clipEnd: plan.clipEnd, coverage: plan.coverage, ...(request.burnInBoxes ? { boxesFile } : {}) });
    }

    const names = new Map(request.cameras.map((c) => [c.id, c.name]));
    await writeFile(join(partial, 'tracks.json'), tracksJson(request.tracks ?? [], names));
    await writeFile(join(partial, 'tracks.csv'), tracksCsv(request.tracks ?? [], names));
    await writeFile(join(partial, 'actions.json'), actionsJson(request.actions ?? []));
    await writeFile(join(partial, 'actions.csv'), actionsCsv(request.actions ?? []));

    const snapshotNames = new UniqueNames();
    for (const snapshot of snapshots) {
      checkCancelled(request.signal);
      const name = snapshotNames.take(safeName(basename(snapshot.name), 'snapshot'), '');
      await mkdir(join(partial, 'snapshots'), { recursive: true });
      await copyFile(snapshot.path, join(partial, 'snapshots', name));
      progress.add((await stat(snapshot.path)).size);
    }

    // The list comes from the folder itself, so nothing written above can go unlisted.
    const entries = await walkFolder(partial);
    progress.addToTotal(await sizeOf(entries.map((e) => join(partial, e.path))));
    const files: ListedFile[] = [];
    for (const entry of entries) {
      checkCancelled(request.signal);
      const { size, sha256 } = await hashFile(join(partial, entry.path), (bytes) => progress.add(bytes));
      files.push({ path: entry.path, size, sha256 });
    }

    const manifest: EvidenceManifest = {
      format: MANIFEST_FORMAT,
      title: request.title,
      exporter: { name: 'Vigil', version: request.exporterVersion },
      createdAt: (request.now?.() ?? new Date()).toISOString(),
      range: { from: range.from, to: range.to, fromIso: new Date(range.from).toISOString(), toIso: new Date(range.to).toISOString() },
      video: 'stream-copy',
      burnInBoxes: request.burnInBoxes === true,
      incidentId: request.incidentId ?? null,
      exportedBy: request.exportedBy ?? null,
      cameras,
      files,
      publicKey: request.key.publicKeyPem,
      fingerprint: request.key.fingerprint,
    };
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    await writeFile(join(partial, MANIFEST_FILE), bytes);
    await writeFile(join(partial, SIGNATURE_FILE), `${sign(null, bytes, request.key.privateKey).toString('base64')}\n`);

    checkCancelled(request.signal);
    // rename() would quietly replace an empty folder created under the name meanwhile.
    if (existsSync(outDir)) throw new ExportError('EXPORT_EXISTS', `${outDir} appeared while exporting; the export was not moved there.`);
    await syncFolder(partial, entries.map((e) => e.path).concat(MANIFEST_FILE, SIGNATURE_FILE));
    await rename(partial, outDir);
    await syncPath(dirname(outDir));
    progress.finish();
    return manifest;
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
    if (error instanceof ExportError) throw error;
    throw new ExportError('EXPORT_FAILED', `The export to ${outDir} failed: ${(error as Error).message}`, { cause: error });
  }
}

async function writeClip(request: ExportRequest, partial: string, file: string, camera: ExportCamera, plan: FootagePlan, progress: ByteProgress): Promise<void> {
  await mkdir(join(partial, 'video'), { recursive: true });
  // The list lives in the folder being built (cleaned up with it on failure) and is removed
  // before the folder is hashed: it names paths on this machine, not evidence.
  const listFile = join(partial, `.concat-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(listFile, plan.concatList);
  const segmentBytes = await sizeOf(plan.segments.map((s) => s.path));
  const before = progress.done;
  await trimClip({
    ffmpegPath: request.ffmpegPath,
    listFile,
    seekS: plan.seekS,
    untilS: plan.untilS,
    outFile: join(partial, file),
    cameraName: camera.name,
    signal: request.signal,
    onFraction: (fraction) => progress.set(before + fraction * segmentBytes),
  });
  await unlink(listFile);
  const written = await stat(join(partial, file)).catch(() => null);
  if (!written || written.size === 0) throw new ExportError('EXPORT_FAILED', `FFmpeg wrote no clip for ${camera.name}.`);
}

async function writeBoxesClip(request: ExportRequest, partial: string, clip: string, file: string, camera: ExportCamera, plan: FootagePlan, progress: ByteProgress): Promise<void> {
  const tracks = (request.tracks ?? []).filter((t) => t.cameraId === camera.id);
  // Like the concat list: a working file in the folder being built, gone before hashing.
  const scriptFile = join(partial, `.boxes-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(scriptFile, drawboxScript(boxIntervals(tracks, plan.clipStart, plan.clipEnd)));
  const weight = (await sizeOf(plan.segments.map((s) => s.path))) * BURN_IN_WEIGHT;
  const before = progress.done;
  await burnIn({
    ffmpegPath: request.ffmpegPath,
    clip: join(partial, clip),
    scriptFile,
    outFile: join(partial, file),
    seconds: (plan.clipEnd - plan.clipStart) / 1000,
    cameraName: camera.name,
    signal: request.signal,
    onFraction: (fraction) => progress.set(before + fraction * weight),
  });
  await unlink(scriptFile);
  const written = await stat(join(partial, file)).catch(() => null);
  if (!written || written.size === 0) throw new ExportError('EXPORT_FAILED', `FFmpeg wrote no boxes clip for ${camera.name}.`);
}

async function sizeInputs(segments: readonly string[], snapshots: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of [...segments, ...snapshots]) {
    try {
      total += (await stat(path)).size;
    } catch {
      throw new ExportError('EXPORT_SOURCE_MISSING', `${path} is listed for the export but is not on disk (removed by retention?).`);
    }
  }
  return total;
}

async function sizeOf(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) total += (await stat(path)).size;
  return total;
}

/** Flushed before the rename, so after a power cut the final name never holds unwritten data. */
async function syncFolder(root: string, files: readonly string[]): Promise<void> {
  for (const file of files) await syncPath(join(root, file));
  await syncPath(root);
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some systems (Windows directories, a few network shares) cannot fsync a directory.
    if (!['EPERM', 'EISDIR', 'EINVAL', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportError('EXPORT_CANCELLED', 'The export was cancelled.');
}

function isoRange(range: TimeRange): string {
  return `${new Date(range.from).toISOString()} - ${new Date(range.to).toISOString()}`;
}
