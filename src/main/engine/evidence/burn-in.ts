// The optional second clip of a camera with the stored track boxes drawn in, for a viewer who
// has no overlay player. It is made FROM the stream-copied clip (the evidence original, which
// stays in the folder untouched) by re-encoding with libx264, so it is a derived work and the
// manifest says so; both files are hashed and signed.
//
// Each stored sample is one FFmpeg drawbox filter shown from that sample's time until the next
// sample's (enable='between(t,a,b)'), in coordinates relative to the picture (iw/ih), because
// the boxes are in the analysed frame's pixels and the recorded stream may be larger. The
// filters go into a -filter_complex_script file: a long track has hundreds of samples, more
// than a command line may hold.
import { runFfmpegJob } from './ffmpeg-job';
import type { EvidenceTrack } from './evidence-tables';

/** A sample holds its box until the next one; past this gap the track was lost for a while. */
const MAX_HOLD_MS = 1500;
/** How long the last sample of a track stays on screen. */
const LAST_HOLD_MS = 500;
/** More filters than this make FFmpeg slow to build the graph: the samples are thinned evenly. */
export const MAX_BOXES = 6000;

const COLORS: Record<string, string> = { person: 'yellow', car: 'cyan', truck: 'cyan', bus: 'cyan', motorcycle: 'magenta', bicycle: 'magenta' };

export interface BoxInterval {
  /** Seconds on the clip's timeline. */
  from: number;
  to: number;
  /** Share of the picture: x1, y1, x2, y2 in 0-1. */
  box: [number, number, number, number];
  color: string;
}

/** The intervals of every track inside the clip, clip second 0 being wall-clock `clipStart`. */
export function boxIntervals(tracks: readonly EvidenceTrack[], clipStart: number, clipEnd: number): BoxInterval[] {
  const usable = tracks.filter((t) => (t.frameWidth ?? 0) > 0 && (t.frameHeight ?? 0) > 0 && (t.samples?.length ?? 0) > 0);
  const total = usable.reduce((n, t) => n + t.samples!.length, 0);
  const stride = Math.max(1, Math.ceil(total / MAX_BOXES));
  const length = (clipEnd - clipStart) / 1000;
  const intervals: BoxInterval[] = [];
  for (const track of usable) {
    const samples = track.samples!.filter((_, i, all) => i % stride === 0 || i === all.length - 1);
    const w = track.frameWidth!;
    const h = track.frameHeight!;
    samples.forEach((sample, i) => {
      const next = samples[i + 1];
      const until = next && next.t - sample.t <= MAX_HOLD_MS * stride ? next.t : sample.t + LAST_HOLD_MS;
      const from = Math.max(0, (sample.t - clipStart) / 1000);
      const to = Math.min(length, (until - clipStart) / 1000);
      if (to <= from) return;
      const [x1, y1, x2, y2] = sample.box;
      const box: [number, number, number, number] = [clamp(x1 / w), clamp(y1 / h), clamp(x2 / w), clamp(y2 / h)];
      if (box[2] - box[0] <= 0 || box[3] - box[1] <= 0) return;
      intervals.push({ from, to, box, color: COLORS[track.label] ?? 'orange' });
    });
  }
  return intervals;
}

/** The -filter_complex_script text: input [0:v], output [boxes]. */
export function drawboxScript(intervals: readonly BoxInterval[]): string {
  const filters = intervals.map(({ from, to, box: [x1, y1, x2, y2], color }) =>
    [`drawbox=x=iw*${fixed(x1)}`, `y=ih*${fixed(y1)}`, `w=iw*${fixed(x2 - x1)}`, `h=ih*${fixed(y2 - y1)}`, `color=${color}@0.9`, 'thickness=3', `enable='between(t,${from.toFixed(3)},${to.toFixed(3)})'`].join(':'),
  );
  // yuv420p: the widest-playing pixel format, whatever the camera sent.
  return `[0:v]${[...filters, 'format=yuv420p'].join(',\n')}[boxes]\n`;
}

export interface BurnInRequest {
  ffmpegPath: string;
  /** The stream-copied clip. */
  clip: string;
  scriptFile: string;
  outFile: string;
  /** Clip length in s, for progress. */
  seconds: number;
  cameraName: string;
  signal?: AbortSignal;
  onFraction(fraction: number): void;
}

export function burnIn(request: BurnInRequest): Promise<void> {
  const { ffmpegPath, clip, scriptFile, outFile, seconds, cameraName, signal, onFraction } = request;
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1',
    '-i', clip, '-filter_complex_script', scriptFile,
    '-map', '[boxes]', '-map', '0:a?', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-c:a', 'copy',
    '-movflags', '+faststart', '-f', 'mp4', '-y', outFile,
  ];
  return runFfmpegJob({
    ffmpegPath,
    args,
    seconds,
    signal,
    onFraction,
    failed: (code, stderr) => `FFmpeg could not draw the boxes into the clip of ${cameraName} (exit ${code}): ${stderr}`,
  });
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function fixed(value: number): string {
  return value.toFixed(5);
}
