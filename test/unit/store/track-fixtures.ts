// Tracks as the tracker reports them, for the store tests and the storage-day generator.
import type { Box } from '../../../src/shared/detection';
import type { TrackSample, TrackSummary, TrackWrite } from '../../../src/main/engine/store/tracks-repo';

/** A track walking right and down from `box`, sampled every `stepMs` for `durationMs`. */
export function walkingTrack(trackId: number, firstSeen: number, durationMs: number, options: { label?: string; stepMs?: number; box?: Box } = {}): TrackSummary {
  const { label = 'person', stepMs = 500, box = [100, 120, 160, 300] } = options;
  const samples: TrackSample[] = [];
  for (let t = 0; t <= durationMs; t += stepMs) {
    const k = t / stepMs;
    samples.push({ t: firstSeen + t, box: [box[0] + 4 * k, box[1] + k, box[2] + 4 * k, box[3] + k], score: 0.5 + 0.4 * Math.abs(Math.sin(k / 3)) });
  }
  const best = samples.reduce((a, b) => (b.score > a.score ? b : a), samples[0]!);
  return { trackId, label, firstSeen, lastSeen: firstSeen + durationMs, bestScore: best.score, bestBox: best.box, bestAt: best.t, samples };
}

/** The tracker's view of `track` at `atMs`: samples so far, last seen then. */
export function trackSoFar(track: TrackSummary, atMs: number): TrackSummary {
  const samples = track.samples.filter((s) => s.t <= atMs);
  const best = samples.reduce((a, b) => (b.score > a.score ? b : a), samples[0]!);
  return { ...track, lastSeen: Math.min(track.lastSeen, atMs), bestScore: best.score, bestBox: best.box, bestAt: best.t, samples };
}

export function update(cameraId: string, track: TrackSummary, ended = false, run = 'r1'): TrackWrite {
  return { cameraId, run, track, frameWidth: 1920, frameHeight: 1080, ended };
}
