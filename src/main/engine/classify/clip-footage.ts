// Video files to clip pictures, for eval:clips: FFmpeg decodes and resizes each picture to the
// model's input (whole frames, as training pipelines do), and the pictures of a clip are
// either spread evenly over the whole file or taken at the model's sample rate for windows.
import { spawn } from 'node:child_process';
import { PnmFrameSplitter } from '../detect/pnm-frames';
import { DetectError } from '../inference/detect-error';
import type { ClipFrame } from './clip-tensor';

/**
 * Decodes `file` to RGB24 pictures of `width` x `height`, at `fps` when given (else every
 * picture), calling `onFrame` for each in order. CLIP_UNREADABLE when FFmpeg cannot read it
 * or it holds no picture.
 */
export async function decodeClipFile(ffmpegPath: string, file: string, size: readonly [number, number], fps: number | null, onFrame: (frame: ClipFrame) => void): Promise<number> {
  const [width, height] = size;
  const filters = [...(fps ? [`fps=${fps}`] : []), `scale=${width}:${height}:flags=bilinear`, 'format=rgb24'].join(',');
  const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', file, '-map', '0:v:0', '-vf', filters, '-f', 'image2pipe', '-c:v', 'ppm', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const splitter = new PnmFrameSplitter();
  let count = 0;
  for await (const chunk of child.stdout) {
    for (const frame of splitter.push(chunk as Buffer)) {
      count++;
      onFrame({ width: frame.width, height: frame.height, data: frame.data });
    }
  }
  const code = await exit;
  if (code !== 0 || count === 0) {
    const last = stderr.trim().split('\n').at(-1) || (count === 0 ? 'no pictures decoded' : `FFmpeg exited with code ${code}`);
    throw new DetectError('CLIP_UNREADABLE', `${file} cannot be decoded: ${last}`);
  }
  return count;
}

/**
 * Keeps `count` pictures spread evenly over a stream of unknown length, in bounded memory:
 * every `step`-th picture is kept, and when more than `cap` are kept every other one is
 * dropped and the step doubles. At the end, picture i of the clip is kept picture
 * floor(i * n / count), the way common training pipelines pick frames (repeating pictures
 * of a clip shorter than `count`).
 */
export class EvenSample {
  private kept: ClipFrame[] = [];
  private step = 1;
  private seen = 0;

  constructor(
    private readonly count: number,
    private readonly cap = 512,
  ) {}

  add(frame: ClipFrame): void {
    if (this.seen++ % this.step !== 0) return;
    this.kept.push(frame);
    if (this.kept.length > this.cap) {
      this.kept = this.kept.filter((_, index) => index % 2 === 0);
      this.step *= 2;
    }
  }

  pick(): ClipFrame[] {
    const n = this.kept.length;
    if (n === 0) return [];
    return Array.from({ length: this.count }, (_, i) => this.kept[Math.floor((i * n) / this.count)]!);
  }
}

/**
 * Sliding windows of `count` pictures with a stride of half a window (the live classifier's),
 * the last one ending on the last picture. A file shorter than one window gives one window
 * of evenly spread (repeated) pictures.
 */
export function slidingWindows(frames: readonly ClipFrame[], count: number): ClipFrame[][] {
  if (frames.length === 0) return [];
  if (frames.length <= count) return [Array.from({ length: count }, (_, i) => frames[Math.floor((i * frames.length) / count)]!)];
  const stride = Math.max(1, Math.floor(count / 2));
  const starts: number[] = [];
  for (let start = 0; start + count <= frames.length; start += stride) starts.push(start);
  if (starts.at(-1)! + count < frames.length) starts.push(frames.length - count);
  return starts.map((start) => frames.slice(start, start + count));
}
