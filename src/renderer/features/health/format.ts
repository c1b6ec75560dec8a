// Status bar text. Pure, unit-tested.
import type { Health } from '../../../shared/api';
import { describeReason } from '../../../shared/reasons';

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

export interface InferenceView {
  /** Short text for the status bar. */
  text: string;
  /** Reason code shown next to the text, when detection is unavailable or degraded. */
  reason: string | null;
  /** The reason sentence (and engine detail), for the tooltip and beside the code. */
  title: string | null;
  level: 'ok' | 'warn' | 'bad' | 'muted';
  /** "38 ms p95", null before any inference ran. */
  latency: string | null;
}

/** The detector in the status bar: 'Detector: yolox-nano on cpu', or why it is not running. */
export function formatInference(inference: Health['inference'] | null | undefined): InferenceView | null {
  if (!inference) return null;
  const reason = inference.reason ?? null;
  const sentence = reason ? describeReason(reason) : null;
  const detail = inference.message && inference.message !== sentence ? inference.message : null;
  const fallbacks = inference.fallbacks.map((f) => `${f.provider}: ${f.reason}`);
  const title = [sentence, detail, ...fallbacks].filter((s): s is string => Boolean(s)).join('\n') || null;
  const latency = inference.latencyMs.count > 0 ? `${Math.round(inference.latencyMs.p95)} ms p95` : null;
  const model = inference.model ?? 'model';
  switch (inference.state) {
    case 'ready':
      return {
        text: `Detector: ${model} on ${inference.provider ?? 'unknown provider'}`,
        reason: null,
        title,
        level: reason ? 'warn' : 'ok',
        latency,
      };
    case 'starting':
      return { text: `Detector: starting ${model}…`, reason: null, title, level: 'muted', latency: null };
    case 'restarting':
      return { text: 'Detector restarting', reason, title, level: 'warn', latency };
    case 'unavailable':
      return { text: 'Detector unavailable', reason: reason ?? 'INFERENCE_UNAVAILABLE', title: title ?? describeReason('INFERENCE_UNAVAILABLE'), level: 'bad', latency: null };
    case 'off':
    default:
      return { text: 'Detector off', reason: null, title, level: 'muted', latency: null };
  }
}
