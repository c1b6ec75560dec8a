// The best view of each tracked object, kept as a small JPEG for review lists and alerts.
// While a track lives, its best-scoring crop is held in memory (a few KB); when it is stored
// for good, FFmpeg encodes it. Encoding is queued one at a time and the queue is bounded: on a
// very busy site some thumbnails are skipped rather than the engine falling behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Box } from '../../../shared/detection';
import type { RawFrame } from '../detect/pnm-frames';

export interface Crop {
  width: number;
  height: number;
  /** RGB24 rows. */
  data: Uint8Array;
}

/** Margin around the box, as a share of its size: some context around a person helps. */
const MARGIN = 0.15;

/** Cuts `box` (in the frame's own pixels) plus a margin out of an RGB frame; even sizes for JPEG. */
export function cropFrame(frame: RawFrame, box: Box): Crop | null {
  if (frame.channels !== 3) return null;
  const [x1, y1, x2, y2] = box;
  const mx = (x2 - x1) * MARGIN;
  const my = (y2 - y1) * MARGIN;
  const left = Math.max(0, Math.floor(x1 - mx));
  const top = Math.max(0, Math.floor(y1 - my));
  const right = Math.min(frame.width, Math.ceil(x2 + mx));
  const bottom = Math.min(frame.height, Math.ceil(y2 + my));
  const width = (right - left) & ~1;
  const height = (bottom - top) & ~1;
  if (width < 8 || height < 8) return null;
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const from = ((top + row) * frame.width + left) * 3;
    data.set(frame.data.subarray(from, from + width * 3), row * width * 3);
  }
  return { width, height, data };
}

export interface SnapshotStoreOptions {
  dir: string;
  ffmpegPath: string;
  log: (line: string) => void;
  /** Crops waiting to be encoded before new ones are skipped (default 64). */
  maxQueue?: number;
}

interface Job {
  crop: Crop;
  ref: string;
  done: (ref: string | null) => void;
}

export class SnapshotStore {
  private readonly queue: Job[] = [];
  private busy = false;
  private current: ChildProcess | null = null;
  private stopped = false;
  skipped = 0;

  constructor(private readonly options: SnapshotStoreOptions) {}

  /** Relative reference of a snapshot: `<camera>/<yyyy-mm-dd>/<key>.jpg`. */
  static refFor(cameraId: string, at: number, key: string): string {
    return `${cameraId}/${new Date(at).toISOString().slice(0, 10)}/${key.replace(/[^A-Za-z0-9_-]/g, '_')}.jpg`;
  }

  path(ref: string): string {
    return join(this.options.dir, ref);
  }

  /** Encodes the crop to `ref`; `done` gets the ref, or null when skipped or failed. */
  save(crop: Crop, ref: string, done: (ref: string | null) => void): void {
    if (this.stopped || this.queue.length >= (this.options.maxQueue ?? 64)) {
      this.skipped++;
      done(null);
      return;
    }
    this.queue.push({ crop, ref, done });
    this.next();
  }

  private next(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) return;
    this.busy = true;
    this.encode(job)
      .then(() => job.done(job.ref))
      .catch((error: Error) => {
        this.options.log(`snapshot ${job.ref} not saved: ${error.message}`);
        job.done(null);
      })
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }

  private encode(job: Job): Promise<void> {
    const file = this.path(job.ref);
    const partial = `${file}.partial.jpg`;
    mkdirSync(dirname(file), { recursive: true });
    return new Promise((resolve, reject) => {
      const child = (this.current = spawn(
        this.options.ffmpegPath,
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${job.crop.width}x${job.crop.height}`, '-i', 'pipe:0', '-frames:v', '1', '-q:v', '4', '-y', partial],
        { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true },
      ));
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        this.current = null;
        if (code !== 0) {
          rmSync(partial, { force: true });
          return reject(new Error(stderr.trim() || `ffmpeg exited ${code}`));
        }
        // A close handler that throws would be an uncaught exception: the data dir may be
        // gone already when the engine stops right after an incident.
        try {
          renameSync(partial, file);
          resolve();
        } catch (error) {
          reject(error as Error);
        }
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(job.crop.data);
    });
  }

  /** Engine shutdown: nothing more is encoded, and no encoder outlives the engine. */
  stop(): void {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.done(null);
    this.current?.kill('SIGKILL');
  }
}
