// Turns the way an FFmpeg process ended into a reason code an operator can act on.
// FFmpeg reports problems only as text on stderr, so this matches the messages FFmpeg 4-7
// print for each failure (checked against Debian's 5.1). Order matters: the most specific
// message wins, because one failure often prints several lines.
import type { CameraReason } from '../../../shared/reasons';
import type { SourceKind } from '../../../shared/cameras';

export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last lines FFmpeg printed on stderr. */
  stderr: readonly string[];
  /** Vigil asked it to stop (camera disabled, deleted, engine shutting down, plan change). */
  requestedStop: boolean;
  /** Vigil killed it because no bytes arrived for too long. */
  stalled: boolean;
  sourceKind: SourceKind;
  /** How long the process ran, and the socket I/O timeout it was given. */
  elapsedMs: number;
  ioTimeoutMs: number;
}

// Status codes are matched with their words ("401 Unauthorized"), never as bare numbers: a
// camera path such as /Streaming/Channels/401 must not read as a password problem.
const RULES: { reason: CameraReason; pattern: RegExp }[] = [
  { reason: 'AUTH_FAILED', pattern: /unauthori[sz]ed|\b403 forbidden|authentication failed|authorization failed/i },
  { reason: 'NOT_FOUND', pattern: /\b404 not found|no such file or directory|stream not found/i },
  { reason: 'REFUSED', pattern: /connection refused/i },
  { reason: 'UNREACHABLE', pattern: /failed to resolve hostname|name or service not known|temporary failure in name resolution|no route to host|network is unreachable|host is unreachable/i },
  { reason: 'TIMEOUT', pattern: /timed out|connection timeout/i },
  { reason: 'DEVICE_BUSY', pattern: /device or resource busy|cannot open video device|could not enumerate video devices/i },
  {
    reason: 'UNSUPPORTED_CODEC',
    pattern: /could not find tag for codec|codec not currently supported in container|decoder \(codec [^)]*\) not found|unknown encoder|unsupported codec/i,
  },
  // The source went away mid-stream (server restarted, camera rebooted): reconnect soon.
  { reason: 'ENDED', pattern: /connection reset by peer|broken pipe|end of file/i },
  {
    reason: 'NOT_VIDEO',
    pattern: /invalid data found when processing input|matches no streams|does not contain any stream|moov atom not found|could not find codec parameters/i,
  },
];

/** FFmpeg repeats the input URL in its messages; its path must not be matched as a message. */
function withoutUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, '<url>');
}

const NETWORK_KINDS: ReadonlySet<SourceKind> = new Set(['rtsp', 'rtmp', 'http', 'hls']);

/** Reason for an unplanned end, or null when Vigil itself stopped the process. */
export function classifyExit(end: ProcessEnd): CameraReason | null {
  if (end.requestedStop) return null;
  if (end.stalled) return 'STALLED';
  const text = withoutUrls(end.stderr.join('\n'));
  for (const rule of RULES) {
    if (!rule.pattern.test(text)) continue;
    // FFmpeg 5 reports an RTSP server that accepts the connection but never answers as
    // "Invalid data found"; the elapsed time tells that apart from a stream that is not video.
    if (rule.reason === 'NOT_VIDEO' && NETWORK_KINDS.has(end.sourceKind) && end.elapsedMs >= end.ioTimeoutMs * 0.9 && /invalid data/i.test(text)) {
      return 'TIMEOUT';
    }
    return rule.reason;
  }
  if (end.signal === 'SIGKILL' || end.signal === 'SIGTERM' || end.signal === 'SIGINT' || end.signal === 'SIGHUP') return 'KILLED';
  if (end.code === 0) return 'ENDED';
  return 'CRASHED';
}

/**
 * Reasons that a retry in a few seconds will not fix: the operator has to change something
 * (password, path, codec option). They still retry, slowly, because cameras get fixed
 * without anyone telling Vigil.
 */
export const NEEDS_OPERATOR: ReadonlySet<CameraReason> = new Set<CameraReason>([
  'AUTH_FAILED',
  'NOT_FOUND',
  'NOT_VIDEO',
  'UNSUPPORTED_CODEC',
  'RESOLUTION_UNSUPPORTED',
  'FFMPEG_MISSING',
  'DEVICE_BUSY',
]);
