// npm run analyze -- <video> [--fps N] [--json out.json] [--data-dir DIR]
// Offline analysis of footage (a USB export from another DVR) with the live pipeline's
// detector and tracker, in this process, deterministic on CPU.
import { writeFileSync, renameSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { analyzeFootage } from '../engine/analysis/analyze-footage';
import { FootageError } from '../engine/analysis/footage-frames';
import { FfmpegMissingError, locateFfmpeg } from '../engine/cameras/ffmpeg-binary';
import { isDetectError } from '../engine/inference/detect-error';
import { Detector } from '../engine/inference/detector';
import { chooseModel } from '../engine/inference/model-choice';
import { parseHostOptions } from '../host-options';

const USAGE = 'usage: npm run analyze -- <video> [--fps N (1-30, default 5)] [--json out.json] [--data-dir DIR]';

function fail(code: string, message: string, exitCode = 1): never {
  console.error(`analyze: ${code}: ${message}`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const video = args.find((arg, i) => !arg.startsWith('--') && !['--fps', '--json', '--data-dir'].includes(args[i - 1] ?? ''));
  if (!video) fail('USAGE', USAGE, 2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const fps = Number(option('--fps') ?? 5);
  if (!Number.isFinite(fps) || fps < 1 || fps > 30) fail('USAGE', `--fps must be 1-30. ${USAGE}`, 2);
  const json = option('--json');
  const { dataDir } = parseHostOptions(args.filter((a) => a !== video));
  const appDir = resolve(__dirname, '..', '..');

  const ffmpeg = await locateFfmpeg().catch((error: Error) => fail(error instanceof FfmpegMissingError ? 'FFMPEG_MISSING' : 'FFMPEG', error.message));
  const model = await chooseModel({ dataDir, appDir, env: process.env }).catch((error: Error) => fail(isDetectError(error) ? error.code : 'MODEL', error.message));
  const detector = await Detector.load({ entry: model.entry, file: model.file, providers: ['cpu'], threads: cpus().length, log: () => {} }).catch((error: Error) =>
    fail(isDetectError(error) ? error.code : 'MODEL_CORRUPT', error.message),
  );

  const started = Date.now();
  let lastReport = 0;
  try {
    const result = await analyzeFootage({
      ffmpegPath: ffmpeg.path,
      file: resolve(video),
      fps,
      model: model.entry.id,
      reportLabels: model.entry.reportLabels ?? null,
      detect: async (frame) => (await detector.detect([{ width: frame.width, height: frame.height, data: frame.data, pixelFormat: 'rgb24' }]))[0] ?? [],
      onProgress: ({ fraction, frames, tracks }) => {
        if (Date.now() - lastReport < 1000) return;
        lastReport = Date.now();
        process.stderr.write(`analyze: ${Math.round(fraction * 100)}% (${frames} frames, ${tracks} tracks)\n`);
      },
    });
    const tracks = new Set(result.frames.flatMap((f) => f.detections.map((d) => d.trackId))).size;
    const text = `${JSON.stringify(result)}\n`;
    if (json) {
      // Written whole or not at all: a cancelled run never leaves half a file behind.
      writeFileSync(`${json}.partial`, text);
      renameSync(`${json}.partial`, json);
    } else {
      process.stdout.write(text);
    }
    console.error(`analyze: ${result.frames.length} frames at ${fps} fps, ${tracks} tracks, ${model.entry.id} on ${detector.provider}, ${((Date.now() - started) / 1000).toFixed(1)} s${json ? ` -> ${json}` : ''}`);
  } catch (error) {
    if (error instanceof FootageError) fail(error.code, error.message);
    throw error;
  }
}

main().catch((error: Error) => fail('ANALYSIS_FAILED', error.stack ?? error.message));
