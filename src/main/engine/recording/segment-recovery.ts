// Segments the index lacks: the file FFmpeg had open when it was killed (it is never listed)
// and any file closed just before the engine itself died. Both are playable up to their last
// complete fragment, so they are indexed rather than lost; their times come from the file:
// the start from its name, the end from its last write.
import { closeSync, openSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cameraFolder, dayStart, isDayFolder, isSegmentFile, segmentNameStart, segmentPath } from './segment-layout';
import { MAX_SEGMENT_MS, type SegmentsRepo } from './segments-repo';

/** The init segment is about a kilobyte; the first fragment, if any, starts right after it. */
const HEAD_BYTES = 64 * 1024;
/** Days looked at per camera: files the index lacks are from the last run, so the newest days. */
const RECENT_DAYS = 2;

/** True when the file holds at least the start of one fragment (a moof box) after its init. */
function hasFragment(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, read).includes('moof', 0, 'latin1');
  } finally {
    closeSync(fd);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Camera folders under the recordings folder. */
export function cameraIdsOnDisk(root: string): string[] {
  return listDir(root).filter((name) => !name.startsWith('.'));
}

/**
 * Indexes this camera's unlisted files of its newest days as recovered; deletes those that
 * hold no video at all (killed before the first fragment). Returns the paths indexed.
 */
export function recoverCamera(root: string, cameraId: string, repo: SegmentsRepo, log: (line: string) => void): string[] {
  const folder = cameraFolder(root, cameraId);
  const days = listDir(folder).filter(isDayFolder).sort().slice(-RECENT_DAYS);
  const first = days[0];
  if (first === undefined) return [];
  const known = repo.pathsSince(cameraId, (dayStart(first) ?? 0) - MAX_SEGMENT_MS);
  const recovered: string[] = [];
  for (const day of days) {
    for (const name of listDir(join(folder, day)).filter(isSegmentFile).sort()) {
      const path = segmentPath(cameraId, name);
      const startMs = segmentNameStart(name);
      if (!path || startMs === null || known.has(path)) continue;
      const file = join(folder, day, name);
      try {
        const stats = statSync(file);
        if (!hasFragment(file)) {
          unlinkSync(file);
          log(`recording: removed ${path}: the camera stopped before its first fragment`);
          continue;
        }
        const endMs = Math.max(startMs, Math.round(stats.mtimeMs));
        if (repo.insert({ cameraId, startMs, endMs, path, bytes: stats.size, recovered: true })) recovered.push(path);
      } catch (error) {
        log(`recording: cannot recover ${path}: ${(error as Error).message}`);
      }
    }
  }
  if (recovered.length > 0) log(`recording: indexed ${recovered.length} segment(s) of camera ${cameraId} found on disk after an interruption`);
  return recovered;
}
