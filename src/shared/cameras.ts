import { z } from 'zod';
import type { CameraReason } from './reasons';

/** The most cameras one workstation shows at once (the 6x6 grid). */
export const MAX_CAMERAS = 36;

/** Which source a stream URL names; decides how FFmpeg opens it. */
export type SourceKind = 'rtsp' | 'rtmp' | 'http' | 'hls' | 'file' | 'device';

export type StreamUrlProblem = 'URL_INVALID' | 'URL_SCHEME_UNSUPPORTED';

/**
 * Classify a stream URL without touching the network or disk. Accepted forms:
 * rtsp://, rtsps://, rtmp://, rtmps://, http(s):// (MJPEG, or HLS when the path ends in .m3u8),
 * file:///abs/path (a local video, looped in real time as a simulated camera), and
 * device:///dev/video0 (V4L2) or device:video=Name (DirectShow on Windows).
 */
export function classifyStreamUrl(url: string): { kind: SourceKind } | { problem: StreamUrlProblem } {
  // Whitespace or control characters would be split or mangled on FFmpeg's command line.
  // eslint-disable-next-line no-control-regex
  if (url.length === 0 || url.length > 2048 || /[\s\u0000-\u001f]/.test(url)) return { problem: 'URL_INVALID' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) return { problem: 'URL_INVALID' };
  if (scheme === 'device') return url.length > 'device:'.length ? { kind: 'device' } : { problem: 'URL_INVALID' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'URL_INVALID' };
  }
  switch (scheme) {
    case 'rtsp':
    case 'rtsps':
      return parsed.hostname ? { kind: 'rtsp' } : { problem: 'URL_INVALID' };
    case 'rtmp':
    case 'rtmps':
      return parsed.hostname ? { kind: 'rtmp' } : { problem: 'URL_INVALID' };
    case 'http':
    case 'https':
      if (!parsed.hostname) return { problem: 'URL_INVALID' };
      return { kind: parsed.pathname.toLowerCase().endsWith('.m3u8') ? 'hls' : 'http' };
    case 'file':
      return parsed.pathname.length > 1 ? { kind: 'file' } : { problem: 'URL_INVALID' };
    default:
      return { problem: 'URL_SCHEME_UNSUPPORTED' };
  }
}

const streamUrl = z
  .string()
  .superRefine((url, ctx) => {
    const result = classifyStreamUrl(url);
    if ('problem' in result) ctx.addIssue({ code: 'custom', message: result.problem, params: { reason: result.problem } });
  });

/** Bounds for any resolution the operator may ask for; outside them is a typo, not a camera. */
export const MIN_DIMENSION = 64;
export const MAX_DIMENSION = 8192;
const dimension = z.number().int().min(MIN_DIMENSION).max(MAX_DIMENSION);

const transcodeSize = z.strictObject({ width: dimension, height: dimension });
const option = {
  /** RTSP transport; TCP by default because UDP loses packets on busy networks. */
  rtspTransport: z.enum(['tcp', 'udp']),
  /** auto: copy when the browser can play the codec, transcode otherwise. */
  liveTranscode: z.enum(['auto', 'always', 'never']),
  /** Seconds without a byte of video before the process is restarted. */
  stallSeconds: z.number().int().min(3).max(120),
  /** Run motion detection and the object detector on this camera. */
  detect: z.boolean(),
  /** Most frames a second analysed while something moves (idle cameras get a slow heartbeat). */
  detectFps: z.number().int().min(1).max(10),
  /** Width of the analysed picture (height keeps the aspect); from the sub-stream when there is one. */
  detectWidth: z.number().int().min(160).max(1920),
  /** Decode the detect stream on the GPU; falls back to software, with a reason, when unavailable. */
  hwaccel: z.enum(['none', 'auto', 'cuda', 'qsv', 'vaapi', 'd3d11va']),
  /** Grey-level change (1-255) that counts a pixel as moving. */
  motionThreshold: z.number().int().min(1).max(255),
  /** Share of the picture (0-1) that must move before the camera counts as active. */
  motionMinArea: z.number().min(0).max(1),
  /** Areas ignored by the motion gate (trees, clocks, roads): polygons in 0-1 picture coordinates. */
  motionMasks: z.array(z.array(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])).min(3).max(64)).max(16),
  /** Record the main stream continuously into short segments on disk (see engine/recording). */
  record: z.boolean(),
};

export const CameraOptionsSchema = z.strictObject({
  rtspTransport: option.rtspTransport.default('tcp'),
  liveTranscode: option.liveTranscode.default('auto'),
  /** Size of the transcoded live picture; the source size when absent. */
  transcodeSize: transcodeSize.optional(),
  stallSeconds: option.stallSeconds.default(10),
  detect: option.detect.default(true),
  detectFps: option.detectFps.default(5),
  detectWidth: option.detectWidth.default(640),
  hwaccel: option.hwaccel.default('none'),
  motionThreshold: option.motionThreshold.default(25),
  motionMinArea: option.motionMinArea.default(0.002),
  motionMasks: option.motionMasks.default([]),
  record: option.record.default(true),
});
/** An update carries only what changes (no defaults filled in); `transcodeSize: null` clears it. */
export const CameraOptionsUpdateSchema = z.strictObject({
  rtspTransport: option.rtspTransport.optional(),
  liveTranscode: option.liveTranscode.optional(),
  transcodeSize: transcodeSize.nullable().optional(),
  stallSeconds: option.stallSeconds.optional(),
  detect: option.detect.optional(),
  detectFps: option.detectFps.optional(),
  detectWidth: option.detectWidth.optional(),
  hwaccel: option.hwaccel.optional(),
  motionThreshold: option.motionThreshold.optional(),
  motionMinArea: option.motionMinArea.optional(),
  motionMasks: option.motionMasks.optional(),
  record: option.record.optional(),
});
export type CameraOptions = z.infer<typeof CameraOptionsSchema>;

const name = z.string().trim().min(1).max(80);

export const CameraCreateSchema = z.strictObject({
  name,
  mainUrl: streamUrl,
  subUrl: streamUrl.optional(),
  enabled: z.boolean().default(true),
  options: CameraOptionsSchema.default(CameraOptionsSchema.parse({})),
});
export type CameraCreate = z.input<typeof CameraCreateSchema>;

export const CameraUpdateSchema = z.strictObject({
  name: name.optional(),
  mainUrl: streamUrl.optional(),
  subUrl: streamUrl.nullable().optional(),
  enabled: z.boolean().optional(),
  options: CameraOptionsUpdateSchema.optional(),
});
export type CameraUpdate = z.input<typeof CameraUpdateSchema>;

/** A camera as stored. URLs here carry credentials and never leave the engine. */
export interface CameraConfig {
  id: string;
  name: string;
  mainUrl: string;
  subUrl: string | null;
  enabled: boolean;
  options: CameraOptions;
  /** Demo cameras are created on first start from shipped footage and labelled as such. */
  demo: boolean;
  createdAt: number;
  updatedAt: number;
}

export type CameraState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'error' | 'disabled';

export type StreamRole = 'main' | 'sub';

export interface LiveStreamInfo {
  role: StreamRole;
  /** MIME type with codecs for MediaSource.isTypeSupported, known once the init segment arrived. */
  mime: string | null;
  width: number | null;
  height: number | null;
  /** True when Vigil re-encodes this stream to H.264 because the browser cannot play the source codec. */
  transcoded: boolean;
  sourceCodec: string | null;
}

export interface CameraStatus {
  state: CameraState;
  reason: CameraReason | null;
  /** Operator-readable detail, credentials redacted. */
  message: string | null;
  since: number;
  restarts: number;
  nextRetryAt: number | null;
  streams: LiveStreamInfo[];
}

/** A camera as the API shows it: URLs with credentials redacted, plus live status. */
export interface CameraView {
  id: string;
  name: string;
  mainUrl: string;
  subUrl: string | null;
  sourceKind: SourceKind;
  enabled: boolean;
  options: CameraOptions;
  demo: boolean;
  status: CameraStatus;
}
