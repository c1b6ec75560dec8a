// `npm run eval:clips` end to end: labelled clips made by FFmpeg (red and blue pictures, in
// MP4, AVI and Matroska), scored by clip models generated for the test through real FFmpeg
// decoding and real onnxruntime, with the confusion matrix known in advance: the generated
// model's score is high for red clips and low for blue ones, and only when the pictures were
// packed in the layout and channel order its manifest entry states.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClipMetrics, ClipOutcome } from '../../src/main/engine/classify/clip-eval';
import type { ClipLayout } from '../../src/main/engine/classify/clip-model-spec';
import { appWithClipModels, clipEntry, redBlueClipModel, type ClipTestModel } from '../support/clip-model';
import { REPO_ROOT } from '../support/test-engine';

const CLI = join(REPO_ROOT, 'out', 'cli', 'eval-clips.js');
const FRAMES = 8;
const SIZE: [number, number] = [32, 24];
let dir: string;
let clips: string;
let manifestFile: string;
let modelDir: string;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function evalClips(args: string[], env: Record<string, string> = {}): Run {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, VIGIL_DATA_DIR: join(dir, 'data'), VIGIL_MODEL_PATH: modelDir, VIGIL_CLIP_MODEL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { status: 0, stdout: stdout.toString(), stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: Buffer; stderr: Buffer };
    return { status: failed.status, stdout: failed.stdout.toString(), stderr: failed.stderr.toString() };
  }
}

/** A clip of `colours` one after the other, `seconds` each, at 10 fps. */
function makeClip(file: string, colours: [string, number][], codec: string[]): void {
  const inputs = colours.flatMap(([colour, seconds]) => ['-f', 'lavfi', '-i', `color=c=${colour}:s=96x64:r=10:d=${seconds}`]);
  const concat = `${colours.map((_, i) => `[${i}:v]`).join('')}concat=n=${colours.length}:v=1:a=0[v]`;
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', concat, '-map', '[v]', ...codec, file]);
}

const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
const MPEG4 = ['-c:v', 'mpeg4', '-q:v', '3'];

function model(layout: ClipLayout, output: ClipTestModel['output']): ClipTestModel {
  return { layout, frames: FRAMES, size: SIZE, output };
}

beforeAll(() => {
  // npm test builds first; a lone run of this file builds what it needs.
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--node-only'], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'vigil-eval-clips-'));
  clips = join(dir, 'clips');
  // RLVS-style folder names: matched to the labels "violence" and "non-violence".
  mkdirSync(join(clips, 'Violence'), { recursive: true });
  mkdirSync(join(clips, 'NonViolence'), { recursive: true });
  makeClip(join(clips, 'Violence', 'red-1.mp4'), [['red', 2]], H264);
  makeClip(join(clips, 'Violence', 'red-2.avi'), [['red', 3]], MPEG4);
  // Blue for 4.5 s, then red for 1.5 s: 2 of 8 evenly spread pictures are red (missed), but a
  // window at the end is almost all red (found).
  makeClip(join(clips, 'Violence', 'late-burst.mkv'), [['blue', 4.5], ['red', 1.5]], H264);
  makeClip(join(clips, 'NonViolence', 'blue-1.mp4'), [['blue', 2]], H264);
  makeClip(join(clips, 'NonViolence', 'blue-2.avi'), [['blue', 1]], MPEG4);
  makeClip(join(clips, 'NonViolence', 'red-alarm.mp4'), [['red', 2]], H264);
  const models: { entry: ReturnType<typeof clipEntry>; bytes: Uint8Array | null }[] = (['NTHWC', 'NTCHW', 'NCTHW'] as const).map((layout) => {
    const spec = model(layout, layout === 'NTCHW' ? 'logits' : 'probabilities');
    return { entry: clipEntry(`red-${layout.toLowerCase()}`, `red-${layout.toLowerCase()}.onnx`, spec), bytes: redBlueClipModel(spec) };
  });
  // The same network described as taking BGR: its channel 0 is then blue, so blue scores high.
  const bgr = model('NTHWC', 'probabilities');
  models.push({ entry: clipEntry('blue-bgr', 'blue-bgr.onnx', bgr, { channelOrder: 'BGR' }), bytes: redBlueClipModel(bgr) });
  // A model for 4-picture clips described as taking 8.
  models.push({ entry: clipEntry('wrong-frames', 'wrong-frames.onnx', model('NTHWC', 'logits')), bytes: redBlueClipModel({ ...model('NTHWC', 'logits'), frames: 4 }) });
  models.push({ entry: clipEntry('damaged', 'damaged.onnx', model('NTHWC', 'logits')), bytes: new TextEncoder().encode('not an onnx model') });
  models.push({ entry: clipEntry('absent', 'absent.onnx', model('NTHWC', 'logits')), bytes: null });
  const app = appWithClipModels(dir, models);
  manifestFile = app.manifestFile;
  modelDir = app.modelDir;
});

function report(run: Run): { clips: ClipOutcome[]; metrics: ClipMetrics } {
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { clips: ClipOutcome[]; metrics: ClipMetrics };
}

describe('npm run eval:clips', () => {
  it.each(['NTHWC', 'NTCHW', 'NCTHW'] as const)('scores %s clip models with the exact confusion matrix, as a table and as JSON', (layout) => {
    const run = evalClips([clips, '--manifest', manifestFile, '--model', `red-${layout.toLowerCase()}`, '--json', join(dir, 'out.json')]);
    const { clips: outcomes, metrics } = report(run);
    expect(outcomes.map((o) => [o.name, o.label, o.predicted])).toEqual([
      ['NonViolence/blue-1.mp4', 'non-violence', false],
      ['NonViolence/blue-2.avi', 'non-violence', false],
      ['NonViolence/red-alarm.mp4', 'non-violence', true],
      ['Violence/late-burst.mkv', 'violence', false],
      ['Violence/red-1.mp4', 'violence', true],
      ['Violence/red-2.avi', 'violence', true],
    ]);
    // Red and blue are far from the threshold; the mixed clip is 2 red pictures of 8.
    for (const o of outcomes.filter((c) => !c.name.includes('burst'))) expect(Math.abs(o.score - 0.5)).toBeGreaterThan(0.45);
    expect(metrics).toMatchObject({ positiveLabel: 'violence', threshold: 0.5, clips: 6, truePositive: 2, falseNegative: 1, falsePositive: 1, trueNegative: 2 });
    expect(metrics.matrix).toEqual({ 'non-violence': { positive: 1, negative: 2 }, violence: { positive: 2, negative: 1 } });
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 9);
    expect([metrics.precision, metrics.recall, metrics.f1].map((v) => v!.toFixed(4))).toEqual(['0.6667', '0.6667', '0.6667']);
    expect(run.stdout).toMatch(/^violence +2 +1$/m);
    expect(run.stdout).toMatch(/^non-violence +1 +2$/m);
    expect(run.stdout).toMatch(/accuracy 0\.667 {2}precision 0\.667 {2}recall 0\.667 {2}F1 0\.667/);
  });

  it('with --windows scores sliding windows at the sample rate and takes the highest, finding the late burst', () => {
    const { clips: outcomes, metrics } = report(evalClips([clips, '--manifest', manifestFile, '--model', 'red-nthwc', '--windows', '--json', join(dir, 'out.json')]));
    expect(outcomes.find((o) => o.name === 'Violence/late-burst.mkv')!.predicted).toBe(true);
    expect(metrics).toMatchObject({ truePositive: 3, falseNegative: 0, falsePositive: 1, trueNegative: 2 });
    expect(metrics.f1).toBeCloseTo(6 / 7, 9);
  });

  it('packs channels in the order the entry states: the same network described as BGR flips every prediction', () => {
    const { metrics } = report(evalClips([clips, '--manifest', manifestFile, '--model', 'blue-bgr', '--json', join(dir, 'out.json')]));
    expect(metrics.matrix).toEqual({ 'non-violence': { positive: 2, negative: 1 }, violence: { positive: 1, negative: 2 } });
  });

  it('takes a model file by path, described by the manifest entry with its file name, and a threshold', () => {
    const { metrics } = report(evalClips([clips, '--manifest', manifestFile, '--model', join(modelDir, 'red-ncthw.onnx'), '--threshold', '0.9999999', '--json', join(dir, 'out.json')]));
    expect(metrics.threshold).toBe(0.9999999);
    // sigmoid(8) = 0.99966: nothing reaches the threshold.
    expect(metrics).toMatchObject({ truePositive: 0, falsePositive: 0, falseNegative: 3, trueNegative: 3, precision: null, recall: 0 });
  });

  it('fails with exit code 2 and CLIP_FOLDER_INVALID for an empty folder or a folder that is no label', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = evalClips([empty, '--manifest', manifestFile, '--model', 'red-nthwc']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/CLIP_FOLDER_INVALID: .*holds no clips: put video clips in one subfolder per label \(non-violence, violence\)/);
    mkdirSync(join(empty, 'fights'));
    expect(evalClips([empty, '--manifest', manifestFile, '--model', 'red-nthwc']).stderr).toMatch(/CLIP_FOLDER_INVALID: .*"fights" is not a label of the model/);
  });

  it('fails with exit code 2 and CLIP_UNREADABLE naming a clip FFmpeg cannot decode, and writes no JSON', () => {
    const broken = join(dir, 'broken');
    mkdirSync(join(broken, 'violence'), { recursive: true });
    writeFileSync(join(broken, 'violence', 'notes.mp4'), 'shift handover notes\n'.repeat(50));
    const out = join(dir, 'broken.json');
    const run = evalClips([broken, '--manifest', manifestFile, '--model', 'red-nthwc', '--json', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/CLIP_UNREADABLE: .*notes\.mp4 cannot be decoded/);
    expect(existsSync(out)).toBe(false);
  });

  it('fails with exit code 2 and the model reason: missing, shipped without weights, incompatible, damaged', () => {
    const missing = evalClips([clips, '--manifest', manifestFile, '--model', 'absent']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/CLIP_MODEL_MISSING: Clip model "absent" \(absent\.onnx\) was not found/);
    // The app's own manifest: its one clip model is the example entry, whose weights Vigil does not ship.
    const shipped = evalClips([clips]);
    expect(shipped.status).toBe(2);
    expect(shipped.stderr).toMatch(/CLIP_MODEL_MISSING: Clip model "violence-vgg19-bilstm" \(violence_vgg19_bilstm\.onnx\) was not found.*Vigil ships no clip weights/);
    const unknown = evalClips([clips, '--manifest', manifestFile, '--model', 'no-such-model']);
    expect(unknown.stderr).toMatch(/CLIP_MODEL_MISSING: No clip model "no-such-model"/);
    const wrong = evalClips([clips, '--manifest', manifestFile, '--model', 'wrong-frames']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/CLIP_MODEL_INCOMPATIBLE: .*input \[batch, 4, 24, 32, 3\] is not \[batch, 8, 24, 32, 3\] \(NTHWC\)/);
    const damaged = evalClips([clips, '--manifest', manifestFile, '--model', 'damaged']);
    expect(damaged.status).toBe(2);
    expect(damaged.stderr).toMatch(/CLIP_MODEL_CORRUPT: /);
    // VIGIL_CLIP_MODEL selects the model when --model is absent.
    expect(evalClips([clips, '--manifest', manifestFile], { VIGIL_CLIP_MODEL: 'absent' }).stderr).toMatch(/CLIP_MODEL_MISSING: Clip model "absent"/);
  });

  it('explains its usage', () => {
    const run = evalClips([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: npm run eval:clips -- <folder>/);
    expect(evalClips([clips, '--threshold', '2']).stderr).toMatch(/--threshold must be between 0 and 1/);
    expect(evalClips([clips, '--frames', '3']).stderr).toMatch(/unknown option --frames/);
  });
});
