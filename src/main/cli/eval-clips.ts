// npm run eval:clips -- <folder> [--model <id|file.onnx>] [--manifest FILE] [--threshold 0.5]
//                      [--windows] [--json out.json] [--data-dir DIR]
// Measures a clip classifier (a site's violence model) on labelled clips before it watches
// live cameras: <folder>/<label>/<clip> for each label of the model, each clip decoded by
// FFmpeg and scored by the same ClipModel the clip worker runs, in this process, on CPU.
import { renameSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve, sep } from 'node:path';
import { FfmpegMissingError, locateFfmpeg } from '../engine/cameras/ffmpeg-binary';
import { decodeClipFile, EvenSample, slidingWindows } from '../engine/classify/clip-footage';
import { clipMetrics, formatClipReport, labelledClips, type ClipOutcome } from '../engine/classify/clip-eval';
import { ClipModel } from '../engine/classify/clip-model';
import { chooseClipModel, entryForFile, verifyClipFile, type ClipModelChoice } from '../engine/classify/clip-setup';
import type { ClipFrame } from '../engine/classify/clip-tensor';
import { DetectError, isDetectError } from '../engine/inference/detect-error';
import { loadManifest } from '../engine/inference/manifest';
import { parseHostOptions } from '../host-options';

const USAGE = `usage: npm run eval:clips -- <folder> [--model <id|file.onnx>] [--manifest FILE] [--threshold 0.5] [--windows] [--json out.json] [--data-dir DIR]
  <folder>          one subfolder per label of the model (e.g. violence/, non-violence/), video clips in each
  --model           a clip model id from the manifest's clipModels, or a .onnx file a clipModels entry describes
                    (default: VIGIL_CLIP_MODEL, or the manifest's only clip model)
  --manifest FILE   read clipModels from FILE instead of the app's models/manifest.json
  --threshold T     score at or above which a clip counts as the positive label (default 0.5)
  --windows         score sliding windows at the model's sampleFps (as live cameras do), the clip's score
                    being the highest; default: framesPerClip pictures spread evenly over each clip
  --json FILE       also write the clips, scores and metrics as JSON`;

const VALUED = ['--model', '--manifest', '--threshold', '--json', '--data-dir'];

function fail(code: string, message: string, exitCode = 2): never {
  console.error(`eval:clips: ${code}: ${message}`);
  process.exit(exitCode);
}

async function pickModel(args: { model?: string; manifest?: string; dataDir: string; appDir: string }): Promise<ClipModelChoice> {
  const manifestFile = args.manifest ? resolve(args.manifest) : resolve(args.appDir, 'models', 'manifest.json');
  const manifest = await loadManifest(manifestFile);
  const value = args.model || process.env.VIGIL_CLIP_MODEL?.trim() || (manifest.clipModels.length === 1 ? manifest.clipModels[0]!.id : undefined);
  if (!value) throw new DetectError('CLIP_MODEL_MISSING', `Name the clip model with --model or VIGIL_CLIP_MODEL (clip models in ${manifestFile}: ${manifest.clipModels.map((m) => m.id).join(', ') || 'none'}).`);
  if (value.endsWith('.onnx') || value.includes(sep) || value.includes('/')) {
    const file = resolve(value);
    const entry = entryForFile(manifest.clipModels, file);
    if (!(await stat(file).catch(() => null))?.isFile()) throw new DetectError('CLIP_MODEL_MISSING', `Clip model file ${file} does not exist.`);
    return verifyClipFile(entry, file);
  }
  return chooseClipModel({ id: value, dataDir: args.dataDir, appDir: args.appDir, env: process.env, manifestFile });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) fail('USAGE', `${name} needs a value.\n${USAGE}`);
    return next;
  };
  const unknown = args.find((arg) => arg.startsWith('--') && !VALUED.includes(arg) && arg !== '--windows' && arg !== '--help');
  if (unknown) fail('USAGE', `unknown option ${unknown}.\n${USAGE}`);
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const folder = args.find((arg, i) => !arg.startsWith('--') && !VALUED.includes(args[i - 1] ?? ''));
  if (!folder) fail('USAGE', USAGE);
  const threshold = Number(option('--threshold') ?? 0.5);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) fail('USAGE', `--threshold must be between 0 and 1.\n${USAGE}`);
  const json = option('--json');
  const windows = args.includes('--windows');
  const dataDirFlag = option('--data-dir');
  const { dataDir } = parseHostOptions(dataDirFlag ? ['--data-dir', dataDirFlag] : []);
  const appDir = resolve(__dirname, '..', '..');

  const ffmpeg = await locateFfmpeg().catch((error: Error) => fail(error instanceof FfmpegMissingError ? 'FFMPEG_MISSING' : 'FFMPEG', error.message, 1));
  const choice = await pickModel({ model: option('--model'), manifest: option('--manifest'), dataDir, appDir }).catch((error: Error) => fail(isDetectError(error) ? error.code : 'MODEL_MANIFEST_INVALID', error.message));
  const { entry } = choice;
  // The folder is checked before the model loads: a typo in it should not wait for a session.
  const clips = (() => {
    try {
      return labelledClips(resolve(folder), entry.labels);
    } catch (error) {
      return fail(isDetectError(error) ? error.code : 'CLIP_FOLDER_INVALID', (error as Error).message);
    }
  })();
  const model = await ClipModel.load({ entry, file: choice.file, providers: ['cpu'], threads: cpus().length, log: () => {} }).catch((error: Error) =>
    fail(isDetectError(error) ? error.code : 'CLIP_MODEL_CORRUPT', error.message),
  );
  console.error(`eval:clips: ${entry.id} (${choice.file}${choice.verified ? '' : ', not verified: no sha256 in the manifest'}) on ${model.provider}; ${clips.length} clips; ${windows ? `windows of ${entry.framesPerClip} pictures at ${entry.sampleFps} a second` : `${entry.framesPerClip} pictures spread over each clip`}`);

  const positive = entry.labels.indexOf(entry.positiveLabel);
  const outcomes: ClipOutcome[] = [];
  for (const clip of clips) {
    let score: number;
    try {
      if (windows) {
        const frames: ClipFrame[] = [];
        await decodeClipFile(ffmpeg.path, clip.file, entry.inputSize, entry.sampleFps, (frame) => frames.push(frame));
        score = -Infinity;
        for (const window of slidingWindows(frames, entry.framesPerClip)) score = Math.max(score, (await model.classify(window))[positive]!);
      } else {
        const sample = new EvenSample(entry.framesPerClip);
        await decodeClipFile(ffmpeg.path, clip.file, entry.inputSize, null, (frame) => sample.add(frame));
        score = (await model.classify(sample.pick()))[positive]!;
      }
    } catch (error) {
      fail(isDetectError(error) ? error.code : 'CLIP_UNREADABLE', (error as Error).message);
    }
    outcomes.push({ name: clip.name, label: clip.label, score: Math.round(score * 1e6) / 1e6, predicted: score >= threshold });
  }
  await model.close();

  const metrics = clipMetrics(outcomes, entry.positiveLabel, threshold, entry.labels);
  process.stdout.write(formatClipReport(outcomes, metrics));
  if (json) {
    const text = `${JSON.stringify({ model: entry.id, file: choice.file, mode: windows ? 'windows' : 'even', framesPerClip: entry.framesPerClip, clips: outcomes, metrics }, null, 2)}\n`;
    // Written whole or not at all.
    writeFileSync(`${json}.partial`, text);
    renameSync(`${json}.partial`, json);
  }
}

main().catch((error: Error) => fail('EVAL_FAILED', error.stack ?? error.message, 1));
