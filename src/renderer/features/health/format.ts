// Status bar text. Pure, unit-tested.
import type { Health } from '../../../shared/api';

export function formatLag(lag: Health['eventLoopLagMs'] | null | undefined): string {
  if (!lag) return '–';
  return `${Math.round(lag.p99)} ms p99`;
}

/** Lag worth flagging: the engine's event loop is late enough to delay video. */
export function lagLevel(lag: Health['eventLoopLagMs'] | null | undefined): 'ok' | 'warn' | 'bad' {
  if (!lag) return 'ok';
  if (lag.p99 >= 200) return 'bad';
  if (lag.p99 >= 50) return 'warn';
  return 'ok';
}

export function formatFfmpeg(ffmpeg: Health['ffmpeg'] | null | undefined): string {
  if (!ffmpeg) return '–';
  if (ffmpeg.version) return ffmpeg.version;
  return ffmpeg.error ? 'missing' : 'unknown';
}

/** "3/4 live" */
export function formatLive(live: number, total: number): string {
  return `${live}/${total} live`;
}
