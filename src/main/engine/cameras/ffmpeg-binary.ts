// Finds FFmpeg and what it can do. Order: VIGIL_FFMPEG_PATH (the operator's override), then
// the ffmpeg-static package when its download succeeded at install time, then PATH.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FfmpegVersion {
  major: number;
  minor: number;
  /** The version text as FFmpeg printed it (e.g. "5.1.9-0+deb12u1"). */
  text: string;
}

export interface FfmpegInfo {
  path: string;
  source: 'env' | 'ffmpeg-static' | 'path';
  version: FfmpegVersion;
  /** H.264 encoder used when a stream must be transcoded for the browser; null when none. */
  h264Encoder: string | null;
}

export class FfmpegMissingError extends Error {
  readonly code = 'FFMPEG_MISSING' as const;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromFfmpegStatic(): string | null {
  try {
    const require = createRequire(__filename);
    const packed = require('ffmpeg-static') as string | null;
    // Inside an installed desktop app the binary sits in app.asar.unpacked, not in the archive.
    const path = packed?.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`) ?? null;
    return path && isExecutable(path) ? path : null;
  } catch {
    return null;
  }
}

function fromPath(env: NodeJS.ProcessEnv): string | null {
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Parses `ffmpeg -version`'s first line. Git builds ("N-112233-g…") count as newest. */
export function parseFfmpegVersion(firstLine: string): FfmpegVersion {
  const text = /ffmpeg version (\S+)/.exec(firstLine)?.[1] ?? 'unknown';
  const numbers = /^n?(\d+)\.(\d+)/.exec(text);
  if (numbers) return { major: Number(numbers[1]), minor: Number(numbers[2]), text };
  return { major: 99, minor: 0, text };
}

/** Preferred software encoder first: the same output on every machine. */
const H264_ENCODERS = ['libx264', 'libopenh264', 'h264_nvenc', 'h264_qsv', 'h264_videotoolbox', 'h264_mf', 'h264_vaapi'];

export function pickH264Encoder(encodersListing: string): string | null {
  for (const name of H264_ENCODERS) {
    if (new RegExp(`^\\s*V\\S*\\s+${name}\\b`, 'm').test(encodersListing)) return name;
  }
  return null;
}

export async function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegInfo> {
  let path: string | null = null;
  let source: FfmpegInfo['source'] = 'path';
  if (env.VIGIL_FFMPEG_PATH) {
    if (!isExecutable(env.VIGIL_FFMPEG_PATH)) throw new FfmpegMissingError(`VIGIL_FFMPEG_PATH points to ${env.VIGIL_FFMPEG_PATH}, which is not an executable file.`);
    path = env.VIGIL_FFMPEG_PATH;
    source = 'env';
  } else if ((path = fromFfmpegStatic())) {
    source = 'ffmpeg-static';
  } else {
    path = fromPath(env);
  }
  if (!path) throw new FfmpegMissingError('FFmpeg was not found: install it (Debian/Ubuntu: apt-get install ffmpeg) or set VIGIL_FFMPEG_PATH.');
  try {
    const version = await run(path, ['-hide_banner', '-version'], { timeout: 10_000 });
    const encoders = await run(path, ['-hide_banner', '-encoders'], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 });
    return { path, source, version: parseFfmpegVersion(version.stdout.split('\n')[0] ?? ''), h264Encoder: pickH264Encoder(encoders.stdout) };
  } catch (error) {
    throw new FfmpegMissingError(`FFmpeg at ${path} does not run: ${(error as Error).message}`);
  }
}
