// eval:clips' bookkeeping: labelled folders, even sampling and windows, and the metrics.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipMetrics, formatClipReport, labelledClips, type ClipOutcome } from '../../../src/main/engine/classify/clip-eval';
import { EvenSample, slidingWindows } from '../../../src/main/engine/classify/clip-footage';
import type { ClipFrame } from '../../../src/main/engine/classify/clip-tensor';

const LABELS = ['non-violence', 'violence'];
const frame = (n: number): ClipFrame => ({ width: 1, height: 1, data: Uint8Array.from([n % 256, Math.floor(n / 256), 0]) });
const index = (f: ClipFrame) => f.data[0]! + f.data[1]! * 256;

describe('labelledClips', () => {
  it('labels each clip by its folder, matching dataset folder names loosely, hidden files left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-clips-'));
    mkdirSync(join(dir, 'Violence'));
    mkdirSync(join(dir, 'NonViolence'));
    writeFileSync(join(dir, 'Violence', 'b.mp4'), '');
    writeFileSync(join(dir, 'Violence', 'a.mp4'), '');
    writeFileSync(join(dir, 'Violence', '.DS_Store'), '');
    writeFileSync(join(dir, 'NonViolence', 'c.avi'), '');
    writeFileSync(join(dir, 'README.txt'), 'top-level files are not clips');
    expect(labelledClips(dir, LABELS).map(({ name, label }) => [name, label])).toEqual([
      ['NonViolence/c.avi', 'non-violence'],
      ['Violence/a.mp4', 'violence'],
      ['Violence/b.mp4', 'violence'],
    ]);
  });

  it('refuses a missing folder, an unknown label folder and a folder without clips with CLIP_FOLDER_INVALID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-clips-'));
    expect(() => labelledClips(join(dir, 'absent'), LABELS)).toThrow(expect.objectContaining({ code: 'CLIP_FOLDER_INVALID', message: expect.stringContaining('cannot be read') }));
    expect(() => labelledClips(dir, LABELS)).toThrow(expect.objectContaining({ code: 'CLIP_FOLDER_INVALID', message: expect.stringContaining('holds no clips') }));
    mkdirSync(join(dir, 'violence'));
    expect(() => labelledClips(dir, LABELS)).toThrow(expect.objectContaining({ code: 'CLIP_FOLDER_INVALID', message: expect.stringContaining('holds no clips') }));
    mkdirSync(join(dir, 'fights'));
    expect(() => labelledClips(dir, LABELS)).toThrow(expect.objectContaining({ code: 'CLIP_FOLDER_INVALID', message: expect.stringContaining('"fights" is not a label of the model (labels: non-violence, violence)') }));
  });
});

describe('EvenSample', () => {
  it('spreads the pictures evenly over the clip, first picture first', () => {
    const sample = new EvenSample(4);
    for (let i = 0; i < 100; i++) sample.add(frame(i));
    expect(sample.pick().map(index)).toEqual([0, 25, 50, 75]);
  });

  it('repeats pictures of a clip shorter than the model takes', () => {
    const sample = new EvenSample(4);
    for (let i = 0; i < 2; i++) sample.add(frame(i));
    expect(sample.pick().map(index)).toEqual([0, 0, 1, 1]);
  });

  it('keeps memory bounded for long clips and still spreads evenly', () => {
    const sample = new EvenSample(4, 16);
    for (let i = 0; i < 1000; i++) sample.add(frame(i));
    // Every 64th picture kept (16 of them): 0, 64, ... 960.
    expect(sample.pick().map(index)).toEqual([0, 256, 512, 768]);
  });
});

describe('slidingWindows', () => {
  const frames = Array.from({ length: 10 }, (_, i) => frame(i));
  it('slides by half a window, the last one ending on the last picture', () => {
    expect(slidingWindows(frames, 4).map((w) => w.map(index))).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [4, 5, 6, 7],
      [6, 7, 8, 9],
    ]);
    expect(slidingWindows(frames.slice(0, 9), 4).map((w) => w[0]).map((f) => index(f!))).toEqual([0, 2, 4, 5]);
  });

  it('makes one window of a short clip', () => {
    expect(slidingWindows(frames.slice(0, 3), 6).map((w) => w.map(index))).toEqual([[0, 0, 1, 1, 2, 2]]);
    expect(slidingWindows([], 4)).toEqual([]);
  });
});

describe('clipMetrics', () => {
  const outcome = (label: string, score: number): ClipOutcome => ({ name: `${label}/${score}`, label, score, predicted: score >= 0.5 });

  it('counts the positive label against the rest', () => {
    const outcomes = [outcome('violence', 0.9), outcome('violence', 0.8), outcome('violence', 0.1), outcome('non-violence', 0.7), outcome('non-violence', 0.2), outcome('non-violence', 0.3), outcome('non-violence', 0.4)];
    const m = clipMetrics(outcomes, 'violence', 0.5, LABELS);
    expect(m).toMatchObject({ truePositive: 2, falseNegative: 1, falsePositive: 1, trueNegative: 3, clips: 7 });
    expect(m.accuracy).toBeCloseTo(5 / 7, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.matrix).toEqual({ 'non-violence': { positive: 1, negative: 3 }, violence: { positive: 2, negative: 1 } });
    const report = formatClipReport(outcomes, m);
    expect(report).toMatch(/TP 2 {2}FP 1 {2}FN 1 {2}TN 3/);
    expect(report).toMatch(/accuracy 0\.714 {2}precision 0\.667 {2}recall 0\.667 {2}F1 0\.667/);
    expect(report).toMatch(/^violence +2 +1$/m);
  });

  it('leaves precision undefined when nothing is predicted positive, and recall when no clip is positive', () => {
    const none = clipMetrics([outcome('violence', 0.1), outcome('non-violence', 0.2)], 'violence', 0.5, LABELS);
    expect(none).toMatchObject({ precision: null, recall: 0, f1: null, accuracy: 0.5 });
    const noPositives = clipMetrics([outcome('non-violence', 0.9)], 'violence', 0.5, LABELS);
    expect(noPositives).toMatchObject({ precision: 0, recall: null, f1: null });
    expect(formatClipReport([], noPositives)).toMatch(/recall n\/a/);
  });
});
