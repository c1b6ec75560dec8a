// Decodes a video file into pictures at a fixed rate with FFmpeg, for offline analysis.
// Frame k is at k / fps seconds from the start of the file, whatever its own frame rate.
import { spawn } from 'node:child_process';
import { PnmFrameSplitter, type RawFrame } from '../detect/pnm-frames';

/** Pictures wider than this are scaled down first: detail beyond it only costs time. */
const MAX_WIDTH = 1920;

export interface FootageInfo {
  durationSeconds: number | null;
}

export class FootageError extends Error {
  constructor(
    readonly code: 'ANALYSIS_NOT_VIDEO' | 'ANALYSIS_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls `onFrame` for each picture in order and waits for it (back-pressure: FFmpeg is paused
 * while the detector works, so memory stays flat for files of any length).
 */
export async function decodeFootage(
  ffmpegPath: string,
  file: string,
  fps: number,
  onInfo: (info: FootageInfo) => void,
  onFrame: (frame: RawFrame, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  const child = spawn(
    ffmpegPath,
    ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-i', file, '-map', '0:v:0', '-vf', `fps=${fps},scale='min(${MAX_WIDTH},iw)':-2,format=rgb24`, '-f', 'image2pipe', '-c:v', 'ppm', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
  );
  const abort = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', abort);
  let stderr = '';
  let infoSent = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-8192);
    const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
    if (!infoSent && (duration || /Stream #0/.test(stderr))) {
      infoSent = true;
      onInfo({ durationSeconds: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : null });
    }
  });
  const splitter = new PnmFrameSplitter();
  let index = 0;
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    for await (const chunk of child.stdout) {
      for (const frame of splitter.push(chunk as Buffer)) await onFrame(frame, index++);
    }
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  const code = await exit;
  if (signal?.aborted) throw new FootageError('ANALYSIS_FAILED', 'analysis cancelled');
  if (code !== 0 || index === 0) {
    const reason = /Invalid data found|does not contain any stream|matches no streams|moov atom not found|No such file/i.test(stderr) || index === 0 ? 'ANALYSIS_NOT_VIDEO' : 'ANALYSIS_FAILED';
    const last = stderr.trim().split('\n').at(-1) ?? '';
    throw new FootageError(reason, `${file}: ${last}`);
  }
  return index;
}
