// A new installation shows moving video at once: nine demo cameras made from real CCTV
// footage shipped in resources/demo (OpenCV's vtest sample, see resources/demo/README.md).
// Distinct views come from a mirrored copy and time-shifted loops, cut at keyframes with
// stream copy, so making them takes seconds and playing them costs no encoding.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CameraOptionsSchema } from '../../../shared/cameras';
import type { NewCamera } from '../store/cameras-repo';

const run = promisify(execFile);

export const DEMO_SOURCE = 'demo/vtest-640x360.mp4';
const KEYFRAME_SECONDS = 2; // GOP of the shipped clip: offsets must be multiples of it.

const VIEWS: { name: string; mirrored: boolean; offset: number }[] = [
  { name: 'Plaza North', mirrored: false, offset: 0 },
  { name: 'Plaza South', mirrored: true, offset: 8 },
  { name: 'Main Entrance', mirrored: false, offset: 16 },
  { name: 'Car Park A', mirrored: true, offset: 24 },
  { name: 'Walkway East', mirrored: false, offset: 32 },
  { name: 'Walkway West', mirrored: true, offset: 40 },
  { name: 'Lobby Doors', mirrored: false, offset: 48 },
  { name: 'Loading Bay', mirrored: true, offset: 56 },
  { name: 'Service Road', mirrored: false, offset: 64 },
];

async function ffmpeg(path: string, args: string[]): Promise<void> {
  await run(path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { timeout: 120_000 });
}

/** Writes to a temporary name and renames, so a crash never leaves a half-made clip behind. */
async function make(file: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(file)) return;
  const tmp = file.replace(/\.mp4$/, '.partial.mp4');
  await produce(tmp);
  renameSync(tmp, file);
}

async function timeShifted(ffmpegPath: string, base: string, offset: number, out: string): Promise<void> {
  if (offset === 0) return make(out, (tmp) => ffmpeg(ffmpegPath, ['-i', base, '-c', 'copy', '-movflags', '+faststart', tmp]));
  const list = `${out}.txt`;
  writeFileSync(list, `ffconcat version 1.0\nfile '${base}'\ninpoint ${offset}\nfile '${base}'\noutpoint ${offset}\n`);
  await make(out, (tmp) => ffmpeg(ffmpegPath, ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', tmp]));
}

/** Makes the demo clips under `dataDir/demo` (once) and returns the cameras to create. */
export async function prepareDemoSite(ffmpegPath: string, resourcesDir: string, dataDir: string): Promise<NewCamera[]> {
  const source = join(resourcesDir, DEMO_SOURCE);
  if (!existsSync(source)) throw new Error(`demo footage missing at ${source}`);
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const mirrored = join(dir, 'mirrored.mp4');
  await make(mirrored, (tmp) =>
    ffmpeg(ffmpegPath, ['-i', source, '-vf', 'hflip', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-profile:v', 'main', '-g', String(KEYFRAME_SECONDS * 10), '-bf', '0', '-pix_fmt', 'yuv420p', '-an', tmp]),
  );
  const cameras: NewCamera[] = [];
  for (const [index, view] of VIEWS.entries()) {
    const out = join(dir, `view-${index + 1}.mp4`);
    await timeShifted(ffmpegPath, view.mirrored ? mirrored : source, view.offset, out);
    cameras.push({
      name: `Demo ${index + 1} · ${view.name}`,
      mainUrl: pathToFileURL(out).href,
      subUrl: null,
      enabled: true,
      // The demo loops one shipped clip: recording it would fill the disk with copies of footage
      // that is already there.
      options: CameraOptionsSchema.parse({ record: false }),
      demo: true,
    });
  }
  return cameras;
}
