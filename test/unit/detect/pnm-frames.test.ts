import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PnmFrameSplitter } from '../../../src/main/engine/detect/pnm-frames';

const DEMO = join(__dirname, '..', '..', '..', 'resources', 'demo', 'vtest-640x360.mp4');

// The same image2pipe output the camera's FFmpeg writes for analysis.
function ffmpegPictures(codec: 'ppm' | 'pgm', size: string, frames: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', DEMO, '-frames:v', String(frames), '-vf', `scale=${size}`, '-f', 'image2pipe', '-c:v', codec, '-'], { maxBuffer: 64 * 1024 * 1024 });
}

describe('PnmFrameSplitter', () => {
  it('cuts real FFmpeg PPM output into RGB pictures, whatever the chunking', () => {
    const stream = ffmpegPictures('ppm', '160:90', 7);
    for (const chunkSize of [1, 333, 4096, stream.length]) {
      const splitter = new PnmFrameSplitter(() => 42);
      const frames = [];
      for (let at = 0; at < stream.length; at += chunkSize) frames.push(...splitter.push(stream.subarray(at, at + chunkSize)));
      expect(frames).toHaveLength(7);
      for (const frame of frames) expect(frame).toMatchObject({ width: 160, height: 90, channels: 3, at: 42 });
      expect(frames[0]!.data.length).toBe(160 * 90 * 3);
    }
  });

  it('reads grey PGM pictures', () => {
    const frames = new PnmFrameSplitter().push(ffmpegPictures('pgm', '96:54', 3));
    expect(frames.map((f) => [f.width, f.height, f.channels, f.data.length])).toEqual([
      [96, 54, 1, 96 * 54],
      [96, 54, 1, 96 * 54],
      [96, 54, 1, 96 * 54],
    ]);
  });

  it('rejects a stream that is not PNM, and absurd sizes', () => {
    expect(() => new PnmFrameSplitter().push(Buffer.from('GIF89a...'))).toThrow(/not a PNM/);
    expect(() => new PnmFrameSplitter().push(Buffer.from('P6\n99999 10\n255\n'))).toThrow(/unusable PNM/);
  });
});
