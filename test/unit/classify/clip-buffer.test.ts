// Sampling a camera's analysed pictures at the model's rate, and sliding clips with a stride
// of half a clip.
import { describe, expect, it } from 'vitest';
import { ClipBuffer } from '../../../src/main/engine/classify/clip-buffer';
import type { ClipFrame } from '../../../src/main/engine/classify/clip-tensor';

const picture = (n: number): ClipFrame => ({ width: 1, height: 1, data: Uint8Array.from([n, 0, 0]) });

/** Offers pictures at `times`; returns the times taken and the clips (as the times of their pictures). */
function run(buffer: ClipBuffer, times: number[]): { taken: number[]; clips: number[][] } {
  const taken: number[] = [];
  const clips: number[][] = [];
  for (const at of times) {
    if (!buffer.wants(at)) continue;
    // Each picture carries its index among the taken ones (a byte), mapped back to its time.
    const clip = buffer.push(picture(taken.length), at);
    taken.push(at);
    if (clip) clips.push(clip.frames.map((f) => taken[f.data[0]!]!));
  }
  return { taken, clips };
}

describe('ClipBuffer', () => {
  it('takes 4 pictures a second from a 5 fps camera, on a fixed grid', () => {
    const times = Array.from({ length: 26 }, (_, i) => i * 200); // 0 .. 5000 ms
    const { taken } = run(new ClipBuffer({ framesPerClip: 100, sampleFps: 4 }), times);
    expect(taken).toEqual([0, 400, 600, 800, 1000, 1400, 1600, 1800, 2000, 2400, 2600, 2800, 3000, 3400, 3600, 3800, 4000, 4400, 4600, 4800, 5000]);
  });

  it('takes every picture of a camera slower than the sample rate', () => {
    const times = [0, 250, 500, 750, 1000];
    expect(run(new ClipBuffer({ framesPerClip: 100, sampleFps: 10 }), times).taken).toEqual(times);
  });

  it('hands out a clip every half clip, each overlapping the last by half', () => {
    const times = Array.from({ length: 12 }, (_, i) => i * 100);
    const { clips } = run(new ClipBuffer({ framesPerClip: 4, sampleFps: 10 }), times);
    expect(clips.map((c) => c.map((n) => n / 100))).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [4, 5, 6, 7],
      [6, 7, 8, 9],
      [8, 9, 10, 11],
    ]);
  });

  it('an odd clip length strides by its lower half', () => {
    const buffer = new ClipBuffer({ framesPerClip: 5, sampleFps: 10 });
    expect(buffer.stride).toBe(2);
    const { clips } = run(buffer, Array.from({ length: 9 }, (_, i) => i * 100));
    expect(clips.map((c) => c.map((n) => n / 100))).toEqual([
      [0, 1, 2, 3, 4],
      [2, 3, 4, 5, 6],
      [4, 5, 6, 7, 8],
    ]);
  });

  it('starts afresh after a gap longer than three sample intervals', () => {
    const buffer = new ClipBuffer({ framesPerClip: 3, sampleFps: 10 });
    const { clips } = run(buffer, [0, 100, 500, 600, 700]);
    // 0 and 100 are dropped by the 400 ms gap: the first clip is 500-700.
    expect(clips).toEqual([[500, 600, 700]]);
  });

  it('reset empties it and restarts the grid', () => {
    const buffer = new ClipBuffer({ framesPerClip: 4, sampleFps: 4 });
    buffer.push(picture(0), 0);
    buffer.push(picture(1), 250);
    expect(buffer.length).toBe(2);
    buffer.reset();
    expect(buffer.length).toBe(0);
    expect(buffer.wants(260)).toBe(true);
  });
});
