// Offline analysis: the live pipeline's detector and tracker over every sampled picture of a
// file. Deterministic on CPU: the same file, fps and model give the same JSON.
import type { AnalysisResult } from '../../../shared/analysis';
import type { Box, Detection } from '../../../shared/detection';
import type { RawFrame } from '../detect/pnm-frames';
import { Tracker } from '../tracking/tracker';
import { decodeFootage } from './footage-frames';

export interface AnalyzeOptions {
  ffmpegPath: string;
  file: string;
  fps: number;
  model: string;
  /** Classes worth reporting; all when null. */
  reportLabels: readonly string[] | null;
  detect: (frame: RawFrame) => Promise<Detection[]>;
  onProgress?: (progress: { fraction: number; frames: number; tracks: number }) => void;
  signal?: AbortSignal;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function analyzeFootage(options: AnalyzeOptions): Promise<AnalysisResult> {
  const tracker = new Tracker();
  const result: AnalysisResult = { model: options.model, width: 0, height: 0, fps: options.fps, frames: [] };
  let duration: number | null = null;
  const trackIds = new Set<number>();
  await decodeFootage(
    options.ffmpegPath,
    options.file,
    options.fps,
    (info) => (duration = info.durationSeconds),
    async (frame, index) => {
      const t = Math.round((index / options.fps) * 1000) / 1000;
      result.width = frame.width;
      result.height = frame.height;
      const wanted = options.reportLabels;
      const detections = (await options.detect(frame)).filter((d) => !wanted || wanted.includes(d.label));
      const update = tracker.update(detections, t * 1000);
      // What an operator would see boxed at t: tracks matched in this picture (not predicted ones).
      const seen = update.objects.filter((o) => o.state !== 'lost');
      for (const o of seen) trackIds.add(o.trackId);
      result.frames.push({ t, detections: seen.map((o) => ({ label: o.label, score: Math.round(o.score * 1000) / 1000, box: o.box.map(round1) as Box, trackId: o.trackId })) });
      options.onProgress?.({ fraction: duration ? Math.min(1, t / duration) : 0, frames: index + 1, tracks: trackIds.size });
    },
    options.signal,
  );
  return result;
}
