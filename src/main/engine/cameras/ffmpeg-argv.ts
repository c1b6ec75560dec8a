// The one place FFmpeg command lines are built: a pure function from camera config and
// FFmpeg's capabilities to argv, snapshot-tested per source kind. One process per camera
// opens each stream once and writes every output the camera needs to its own pipe.
import type { CameraConfig, CameraOptions, SourceKind, StreamRole } from '../../../shared/cameras';
import { classifyStreamUrl } from '../../../shared/cameras';
import type { FfmpegVersion } from './ffmpeg-binary';

export type LiveMode = 'copy' | 'transcode';

/** How each live output is produced; `sub` is null when the camera has no sub-stream. */
export interface LivePlan {
  main: LiveMode;
  sub: LiveMode | null;
}

/** Decoded frames for analysis; absent when the camera does not detect. */
export interface DetectPlan {
  fps: number;
  /** RGB pictures for the object detector; false in motion-only mode (no model loaded). */
  objects: boolean;
  /** Width of the picture for the detector (height keeps the aspect ratio, rounded to even). */
  width: number;
  /** Width of the small grey picture for the motion gate. */
  motionWidth: number;
  /** Hardware decoder for the analysed stream, or 'none'. */
  hwaccel: CameraOptions['hwaccel'];
}

/** Continuous recording of the main stream; absent when the camera does not record (now). */
export interface RecordPlan {
  /** This camera's folder; FFmpeg writes <dir>/YYYY-MM-DD/YYYY-MM-DDTHH-MM-SSZ.mp4 (UTC) into it. */
  dir: string;
  segmentSeconds: number;
  /** Longest fragment: what a crash can lose of the open segment, even with a long GOP. */
  fragmentSeconds: number;
}

export interface ArgvInput {
  camera: Pick<CameraConfig, 'mainUrl' | 'subUrl' | 'options'>;
  ffmpeg: { version: FfmpegVersion; h264Encoder: string | null };
  plan: LivePlan;
  platform: NodeJS.Platform;
  detect?: DetectPlan | null;
  record?: RecordPlan | null;
}

/** A pipe of decoded pictures: 'detect' carries RGB (PPM), 'motion' small grey ones (PGM). */
export interface FrameOutput {
  kind: 'detect' | 'motion';
  fd: number;
}

export interface LiveOutput {
  role: StreamRole;
  /** File descriptor of the pipe in the child (3 and up; 0-2 are stdio). */
  fd: number;
  mode: LiveMode;
}

export interface CameraArgv {
  args: string[];
  outputs: LiveOutput[];
  frameOutputs: FrameOutput[];
  /** Pipe on which FFmpeg lists each finished segment as a CSV line (file,start,end); null when not recording. */
  segmentListFd: number | null;
  /** Environment FFmpeg needs on top of the engine's: UTC for the segment names' strftime. */
  env: Record<string, string>;
  /** Socket I/O timeout given to FFmpeg, for telling a silent server from bad data. */
  ioTimeoutMs: number;
}

export const IO_TIMEOUT_MS = 5_000;
/** Seconds between keyframes when Vigil encodes: short, so late joiners start fast. */
const TRANSCODE_GOP_SECONDS = 1;

export function sourceKindOf(url: string): SourceKind {
  const result = classifyStreamUrl(url);
  if ('problem' in result) throw new Error(`invalid stream URL (${result.problem})`);
  return result.kind;
}

/**
 * Sources whose codec a browser never plays (webcams give raw or MJPEG, http:// without
 * .m3u8 is MJPEG) are transcoded from the start; the rest are copied and the supervisor
 * switches to transcoding only when the init segment shows a codec the browser lacks.
 */
export function initialPlan(camera: Pick<CameraConfig, 'mainUrl' | 'subUrl' | 'options'>): LivePlan {
  const modeFor = (url: string): LiveMode => {
    if (camera.options.liveTranscode === 'always') return 'transcode';
    if (camera.options.liveTranscode === 'never') return 'copy';
    const kind = sourceKindOf(url);
    return kind === 'device' || kind === 'http' ? 'transcode' : 'copy';
  };
  return { main: modeFor(camera.mainUrl), sub: camera.subUrl ? modeFor(camera.subUrl) : null };
}

function devicePath(url: string, platform: NodeJS.Platform): { format: string; input: string } {
  // Device names may be percent-encoded in the URL (DirectShow names usually hold spaces).
  const rest = decodeURIComponent(url.slice('device:'.length).replace(/^\/\//, ''));
  if (platform === 'win32') return { format: 'dshow', input: rest.startsWith('video=') ? rest : `video=${rest}` };
  if (platform === 'darwin') return { format: 'avfoundation', input: rest || '0' };
  return { format: 'v4l2', input: rest.startsWith('/') ? rest : `/dev/${rest}` };
}

/** file:///C:/x.mp4 is C:/x.mp4 on Windows and file://server/share/x.mp4 a UNC path. */
function localPath(url: string, platform: NodeJS.Platform): string {
  const parsed = new URL(url);
  const path = decodeURIComponent(parsed.pathname);
  if (platform !== 'win32') return path;
  if (parsed.hostname) return `\\\\${parsed.hostname}${path.replace(/\//g, '\\')}`;
  return path.replace(/^\/([A-Za-z]:)/, '$1');
}

function inputArgs(url: string, options: CameraOptions, version: FfmpegVersion, platform: NodeJS.Platform): string[] {
  const timeoutUs = String(IO_TIMEOUT_MS * 1000);
  switch (sourceKindOf(url)) {
    case 'rtsp':
      // FFmpeg 5 renamed -stimeout to -timeout for RTSP; passing the wrong one fails at open.
      return ['-rtsp_transport', options.rtspTransport, version.major >= 5 ? '-timeout' : '-stimeout', timeoutUs, '-i', url];
    case 'rtmp':
      // RTMP announces its streams late; FFmpeg's default 5 s of probing would delay every start.
      return ['-rw_timeout', timeoutUs, '-analyzeduration', '1000000', '-i', url];
    case 'http':
      // MJPEG parts carry no timestamps: without the wall clock FFmpeg assumes 25 fps and the
      // live picture drifts against real time.
      return ['-rw_timeout', timeoutUs, '-use_wallclock_as_timestamps', '1', '-i', url];
    case 'hls':
      return ['-rw_timeout', timeoutUs, '-live_start_index', '-1', '-i', url];
    case 'file':
      // A recorded file stands in for a camera: paced at its own frame rate, looped forever.
      return ['-re', '-stream_loop', '-1', '-i', localPath(url, platform)];
    case 'device': {
      const device = devicePath(url, platform);
      return ['-f', device.format, '-i', device.input];
    }
  }
}

function transcodeArgs(encoder: string, options: CameraOptions, version: FfmpegVersion): string[] {
  const size = options.transcodeSize;
  const filters = [size ? `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=ceil(iw/2)*2:ceil(ih/2)*2` : 'scale=trunc(iw/2)*2:trunc(ih/2)*2', 'format=yuv420p'];
  const encoderArgs =
    encoder === 'libx264'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main']
      : ['-c:v', encoder];
  return [
    '-vf', filters.join(','),
    ...encoderArgs,
    // No B-frames: every frame can be shown as soon as it arrives.
    '-bf', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${TRANSCODE_GOP_SECONDS})`,
    // Keep the source's own frame timing (cameras vary their rate); never duplicate frames.
    ...(version.major > 5 || (version.major === 5 && version.minor >= 1) ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough']),
  ];
}

// One fragment per frame so the browser can show each frame the moment it is decoded.
const FRAGMENTED_MP4 = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame', '-flush_packets', '1'];

/**
 * Analysis decodes one stream (the sub-stream when there is one: decoding a 1080p main
 * stream costs about ten times more) once, then splits it: an RGB picture for the detector
 * and a small grey one for the motion gate. PNM (PPM/PGM) frames carry their own size, so
 * the engine needs to know nothing about the source to cut the pipe into pictures.
 */
function frameArgs(detect: DetectPlan, inputIndex: number, firstFd: number): { args: string[]; outputs: FrameOutput[] } {
  const motion = ['-map', '[motion]', '-f', 'image2pipe', '-c:v', 'pgm', '-flush_packets', '1'];
  if (!detect.objects) {
    const graph = `[${inputIndex}:v:0]fps=${detect.fps},scale=${detect.motionWidth}:-2:flags=area,format=gray[motion]`;
    return { args: ['-filter_complex', graph, ...motion, `pipe:${firstFd}`], outputs: [{ kind: 'motion', fd: firstFd }] };
  }
  const graph =
    `[${inputIndex}:v:0]fps=${detect.fps},scale=${detect.width}:-2:flags=bilinear,split=2[detect][gate];` +
    `[gate]scale=${detect.motionWidth}:-2:flags=area,format=gray[motion];[detect]format=rgb24[rgb]`;
  return {
    args: ['-filter_complex', graph, '-map', '[rgb]', '-f', 'image2pipe', '-c:v', 'ppm', '-flush_packets', '1', `pipe:${firstFd}`, ...motion, `pipe:${firstFd + 1}`],
    outputs: [
      { kind: 'detect', fd: firstFd },
      { kind: 'motion', fd: firstFd + 1 },
    ],
  };
}

/**
 * Recording: the main input copied (never re-encoded, whatever the live plan does) into
 * segments of fragmented MP4 written as they go (empty_moov), so a killed process leaves a
 * file that plays up to its last complete fragment. A fragment starts at each keyframe and at
 * least every fragmentSeconds; flush_packets puts each one on disk when it is complete. The
 * segment muxer does not create folders: the engine makes each day's folder ahead of time.
 */
function recordArgs(record: RecordPlan, listFd: number): string[] {
  const formatOptions = ['movflags=+frag_keyframe+empty_moov+default_base_moof', `frag_duration=${Math.round(record.fragmentSeconds * 1_000_000)}`, 'flush_packets=1'];
  // '%' in the folder would be read by strftime; the pattern itself is ours.
  const dir = record.dir.replace(/%/g, '%%').replace(/[\\/]+$/, '');
  return [
    '-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy',
    '-f', 'segment', '-segment_time', String(record.segmentSeconds), '-segment_format', 'mp4',
    '-segment_format_options', formatOptions.join(':'),
    '-reset_timestamps', '1', '-strftime', '1',
    '-segment_list', `pipe:${listFd}`, '-segment_list_type', 'csv',
    // The day appears in the file name too: the list gives names without their folder.
    `${dir}/%Y-%m-%d/%Y-%m-%dT%H-%M-%SZ.mp4`,
  ];
}

function hwaccelArgs(hwaccel: CameraOptions['hwaccel']): string[] {
  return hwaccel === 'none' ? [] : ['-hwaccel', hwaccel];
}

export function buildCameraArgv(input: ArgvInput): CameraArgv {
  const { camera, ffmpeg, plan, platform, detect, record } = input;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-fflags', '+genpts'];
  const hasSub = Boolean(camera.subUrl && plan.sub);
  const detectInput = detect ? (hasSub ? 1 : 0) : -1;
  args.push(...(detectInput === 0 ? hwaccelArgs(detect!.hwaccel) : []), ...inputArgs(camera.mainUrl, camera.options, ffmpeg.version, platform));
  const outputs: LiveOutput[] = [];
  const streams: { role: StreamRole; inputIndex: number; mode: LiveMode }[] = [{ role: 'main', inputIndex: 0, mode: plan.main }];
  if (camera.subUrl && plan.sub) {
    args.push(...(detectInput === 1 ? hwaccelArgs(detect!.hwaccel) : []), ...inputArgs(camera.subUrl, camera.options, ffmpeg.version, platform));
    streams.push({ role: 'sub', inputIndex: 1, mode: plan.sub });
  }
  streams.forEach((stream, index) => {
    const fd = 3 + index;
    args.push('-map', `${stream.inputIndex}:v:0`, '-an', '-sn', '-dn');
    if (stream.mode === 'copy') {
      args.push('-c:v', 'copy');
    } else {
      if (!ffmpeg.h264Encoder) throw new Error('no H.264 encoder in this FFmpeg build (UNSUPPORTED_CODEC)');
      args.push(...transcodeArgs(ffmpeg.h264Encoder, camera.options, ffmpeg.version));
    }
    args.push(...FRAGMENTED_MP4, `pipe:${fd}`);
    outputs.push({ role: stream.role, fd, mode: stream.mode });
  });
  let frameOutputs: FrameOutput[] = [];
  if (detect) {
    const frames = frameArgs(detect, detectInput, 3 + streams.length);
    args.push(...frames.args);
    frameOutputs = frames.outputs;
  }
  let segmentListFd: number | null = null;
  if (record) {
    segmentListFd = 3 + streams.length + frameOutputs.length;
    args.push(...recordArgs(record, segmentListFd));
  }
  // strftime names segments in local time; UTC0 (POSIX and the Windows CRT both read it) makes
  // names that never repeat or jump when daylight saving time changes.
  const env: Record<string, string> = record ? { TZ: 'UTC0' } : {};
  return { args, outputs, frameOutputs, segmentListFd, env, ioTimeoutMs: IO_TIMEOUT_MS };
}
