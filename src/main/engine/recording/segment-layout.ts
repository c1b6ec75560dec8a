// Where segments live under the recordings folder: <camera id>/<UTC day>/<UTC start>.mp4.
// A folder per day keeps directories small (8640 files a day at 10 s) and lets retention and
// recovery look at a few days instead of a month. Paths in the index use '/' on every platform.
import { join } from 'node:path';
import type { SourceKind } from '../../../shared/cameras';

const FILE_NAME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z\.mp4$/;
const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Sources whose main stream is copied into the segments. Capture devices give raw video or
 * MJPEG and http:// is MJPEG: copied into MP4 they would take gigabytes an hour, and a raw
 * stream MP4 cannot hold would fail FFmpeg's start, taking the live picture down with it.
 */
export function recordsSource(kind: SourceKind): boolean {
  return kind === 'rtsp' || kind === 'rtmp' || kind === 'hls' || kind === 'file';
}

/** UTC day of a wall-clock time, as the folder name FFmpeg's strftime gives it. */
export function dayFolder(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDayFolder(name: string): boolean {
  return DAY_FOLDER.test(name);
}

/** Start of a UTC day folder in ms, or null for another name. */
export function dayStart(folder: string): number | null {
  if (!isDayFolder(folder)) return null;
  const ms = Date.parse(`${folder}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function isSegmentFile(name: string): boolean {
  return FILE_NAME.test(name);
}

/** Wall-clock start from a segment's file name (whole seconds), or null for another name. */
export function segmentNameStart(name: string): number | null {
  const match = FILE_NAME.exec(name);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(ms) ? null : ms;
}

/** The index's path for a file FFmpeg named: the day is in the name, the list omits folders. */
export function segmentPath(cameraId: string, file: string): string | null {
  if (!isSegmentFile(file)) return null;
  return `${cameraId}/${file.slice(0, 10)}/${file}`;
}

/** The file on disk for a path from the index. */
export function absoluteSegmentPath(root: string, path: string): string {
  return join(root, ...path.split('/'));
}

export function cameraFolder(root: string, cameraId: string): string {
  return join(root, cameraId);
}

/** Today's and tomorrow's folders: FFmpeg's segment muxer opens files but never makes folders. */
export function upcomingDays(now: number): string[] {
  return [dayFolder(now), dayFolder(now + DAY_MS)];
}

export { DAY_MS };
