import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { CameraOptionsSchema, type CameraConfig, type CameraOptions } from '../../../src/shared/cameras';
import {
  IO_TIMEOUT_MS,
  buildCameraArgv,
  initialPlan,
  sourceKindOf,
  type ArgvInput,
  type CameraArgv,
  type LivePlan,
} from '../../../src/main/engine/cameras/ffmpeg-argv';
import type { FfmpegVersion } from '../../../src/main/engine/cameras/ffmpeg-binary';

type Camera = Pick<CameraConfig, 'mainUrl' | 'subUrl' | 'options'>;

const FFMPEG5: FfmpegVersion = { major: 5, minor: 1, text: '5.1.9-0+deb12u1' };
const FFMPEG4: FfmpegVersion = { major: 4, minor: 4, text: '4.4.2-0ubuntu0.22.04.1' };
const FFMPEG7: FfmpegVersion = { major: 7, minor: 1, text: '7.1' };

function options(overrides: Partial<CameraOptions> = {}): CameraOptions {
  return CameraOptionsSchema.parse(overrides);
}

function camera(mainUrl: string, subUrl: string | null = null, opts: Partial<CameraOptions> = {}): Camera {
  return { mainUrl, subUrl, options: options(opts) };
}

function build(
  cam: Camera,
  overrides: { plan?: LivePlan; version?: FfmpegVersion; h264Encoder?: string | null; platform?: NodeJS.Platform } = {},
): CameraArgv {
  const input: ArgvInput = {
    camera: cam,
    ffmpeg: { version: overrides.version ?? FFMPEG5, h264Encoder: overrides.h264Encoder === undefined ? 'libx264' : overrides.h264Encoder },
    plan: overrides.plan ?? initialPlan(cam),
    platform: overrides.platform ?? 'linux',
  };
  return buildCameraArgv(input);
}

/** The value that follows `flag` in argv (first occurrence after `from`). */
function after(args: readonly string[], flag: string, from = 0): string | undefined {
  const index = args.indexOf(flag, from);
  return index < 0 ? undefined : args[index + 1];
}

function count(args: readonly string[], item: string): number {
  return args.filter((arg) => arg === item).length;
}

const MOVFLAGS = 'empty_moov+default_base_moof+frag_every_frame';
const RTSP_WITH_CREDENTIALS = 'rtsp://admin:s3cret@127.0.0.1:554/Streaming/Channels/101';
const RTSP_SUB = 'rtsp://admin:s3cret@127.0.0.1:554/Streaming/Channels/102';

describe('buildCameraArgv: one snapshot per source kind', () => {
  it('rtsp over TCP with credentials, FFmpeg 5 (-timeout), H.264 copied', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS));
    expect(argv).toMatchSnapshot();
    const { args } = argv;
    // The URL goes to FFmpeg unchanged: the password must reach the camera.
    expect(after(args, '-i')).toBe(RTSP_WITH_CREDENTIALS);
    expect(after(args, '-rtsp_transport')).toBe('tcp');
    expect(after(args, '-timeout')).toBe(String(IO_TIMEOUT_MS * 1000));
    expect(args).not.toContain('-stimeout');
    // Input options come before -i, output options after it.
    expect(args.indexOf('-rtsp_transport')).toBeLessThan(args.indexOf('-i'));
    expect(args.indexOf('-timeout')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-map')).toBe('0:v:0');
    expect(after(args, '-c:v')).toBe('copy');
    expect(after(args, '-movflags')).toBe(MOVFLAGS);
    expect(after(args, '-f', args.indexOf('-i'))).toBe('mp4');
    expect(after(args, '-flush_packets')).toBe('1');
    expect(args.at(-1)).toBe('pipe:3');
    expect(argv.outputs).toEqual([{ role: 'main', fd: 3, mode: 'copy' }]);
    expect(argv.ioTimeoutMs).toBe(5000);
    // Never stdin/stdout: fd 0 is ignored, fd 1 is not an output.
    expect(args).toContain('-nostdin');
    expect(args).not.toContain('pipe:1');
    expect(args).not.toContain('-');
  });

  it('rtsp over UDP when the camera asks for it', () => {
    const { args } = build(camera('rtsp://127.0.0.1/live', null, { rtspTransport: 'udp' }));
    expect(after(args, '-rtsp_transport')).toBe('udp');
  });

  it('rtsps is opened as RTSP', () => {
    const { args } = build(camera('rtsps://127.0.0.1:322/live'));
    expect(after(args, '-rtsp_transport')).toBe('tcp');
    expect(after(args, '-i')).toBe('rtsps://127.0.0.1:322/live');
  });

  it('rtsp with a sub-stream: two inputs, two pipes (fd 3 main, fd 4 sub)', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS, RTSP_SUB));
    expect(argv).toMatchSnapshot();
    const { args, outputs } = argv;
    expect(count(args, '-i')).toBe(2);
    expect(after(args, '-i')).toBe(RTSP_WITH_CREDENTIALS);
    expect(after(args, '-i', args.indexOf('-i') + 1)).toBe(RTSP_SUB);
    // Each input carries its own transport and timeout.
    expect(count(args, '-rtsp_transport')).toBe(2);
    expect(count(args, '-timeout')).toBe(2);
    expect(outputs).toEqual([
      { role: 'main', fd: 3, mode: 'copy' },
      { role: 'sub', fd: 4, mode: 'copy' },
    ]);
    const mapMain = args.indexOf('-map');
    const mapSub = args.indexOf('-map', mapMain + 1);
    expect(args[mapMain + 1]).toBe('0:v:0');
    expect(args[mapSub + 1]).toBe('1:v:0');
    expect(args.indexOf('pipe:3')).toBeGreaterThan(mapMain);
    expect(args.indexOf('pipe:3')).toBeLessThan(mapSub);
    expect(args.indexOf('pipe:4')).toBeGreaterThan(mapSub);
    expect(args.at(-1)).toBe('pipe:4');
    expect(count(args, MOVFLAGS)).toBe(2);
    // Audio, subtitles and data are dropped from both outputs.
    expect(count(args, '-an')).toBe(2);
    expect(count(args, '-sn')).toBe(2);
    expect(count(args, '-dn')).toBe(2);
  });

  it('a sub-stream URL without a sub plan opens only the main input', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS, RTSP_SUB), { plan: { main: 'copy', sub: null } });
    expect(count(argv.args, '-i')).toBe(1);
    expect(argv.args).not.toContain(RTSP_SUB);
    expect(argv.outputs).toEqual([{ role: 'main', fd: 3, mode: 'copy' }]);
  });

  it('a sub plan without a sub-stream URL is ignored', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS), { plan: { main: 'copy', sub: 'copy' } });
    expect(argv.outputs).toHaveLength(1);
    expect(argv.args).not.toContain('pipe:4');
  });

  it('rtmp: -rw_timeout, copied', () => {
    const argv = build(camera('rtmp://127.0.0.1:1935/live/cam1'));
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-rw_timeout')).toBe('5000000');
    expect(argv.args).not.toContain('-rtsp_transport');
    expect(argv.args).not.toContain('-timeout');
    expect(argv.outputs).toEqual([{ role: 'main', fd: 3, mode: 'copy' }]);
  });

  it('http MJPEG: transcoded to H.264 from the start', () => {
    const argv = build(camera('http://127.0.0.1:8080/video.mjpg'));
    expect(argv).toMatchSnapshot();
    const { args } = argv;
    expect(after(args, '-rw_timeout')).toBe('5000000');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(args).not.toContain('copy');
    expect(after(args, '-vf')).toBe('scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p');
    expect(after(args, '-preset')).toBe('veryfast');
    expect(after(args, '-tune')).toBe('zerolatency');
    expect(after(args, '-bf')).toBe('0');
    expect(after(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(after(args, '-movflags')).toBe(MOVFLAGS);
    expect(args.at(-1)).toBe('pipe:3');
    expect(argv.outputs).toEqual([{ role: 'main', fd: 3, mode: 'transcode' }]);
  });

  it('HLS (.m3u8): starts at the live edge, copied', () => {
    const argv = build(camera('https://127.0.0.1/streams/cam1/index.m3u8'));
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-live_start_index')).toBe('-1');
    expect(after(argv.args, '-rw_timeout')).toBe('5000000');
    expect(argv.args.indexOf('-live_start_index')).toBeLessThan(argv.args.indexOf('-i'));
    expect(argv.outputs[0]?.mode).toBe('copy');
  });

  it('file://: paced in real time and looped forever, path decoded', () => {
    const argv = build(camera('file:///srv/footage/lobby%20cam.mp4'));
    expect(argv).toMatchSnapshot();
    const { args } = argv;
    const input = args.indexOf('-i');
    expect(args.slice(input - 3, input + 2)).toEqual(['-re', '-stream_loop', '-1', '-i', '/srv/footage/lobby cam.mp4']);
    expect(args).not.toContain('-rw_timeout');
    expect(argv.outputs[0]?.mode).toBe('copy');
  });

  it('device on linux: v4l2, bare names resolved under /dev', () => {
    const argv = build(camera('device:///dev/video0'), { platform: 'linux' });
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-f')).toBe('v4l2');
    expect(after(argv.args, '-i')).toBe('/dev/video0');
    expect(argv.outputs).toEqual([{ role: 'main', fd: 3, mode: 'transcode' }]);
    expect(after(build(camera('device:video2'), { platform: 'linux' }).args, '-i')).toBe('/dev/video2');
  });

  it('device on win32: dshow with video=', () => {
    const argv = build(camera('device:video=USB2.0_HD_UVC_WebCam'), { platform: 'win32' });
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-f')).toBe('dshow');
    expect(after(argv.args, '-i')).toBe('video=USB2.0_HD_UVC_WebCam');
    // A bare name gets the video= prefix DirectShow needs.
    expect(after(build(camera('device:Logitech_C920'), { platform: 'win32' }).args, '-i')).toBe('video=Logitech_C920');
  });

  it('device on darwin: avfoundation, index 0 when none is given', () => {
    const argv = build(camera('device:1'), { platform: 'darwin' });
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-f')).toBe('avfoundation');
    expect(after(argv.args, '-i')).toBe('1');
    expect(after(build(camera('device://'), { platform: 'darwin' }).args, '-i')).toBe('0');
  });
});

describe('buildCameraArgv: FFmpeg version, copy vs transcode, encoders', () => {
  it('FFmpeg 4 uses -stimeout for RTSP (its -timeout means "listen")', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS), { version: FFMPEG4 });
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-stimeout')).toBe('5000000');
    expect(argv.args).not.toContain('-timeout');
  });

  it('FFmpeg 7 uses -timeout like 5', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS), { version: FFMPEG7 });
    expect(after(argv.args, '-timeout')).toBe('5000000');
    expect(argv.args).not.toContain('-stimeout');
  });

  it('the version only changes the RTSP timeout flag', () => {
    const v4 = build(camera(RTSP_WITH_CREDENTIALS), { version: FFMPEG4 }).args;
    const v5 = build(camera(RTSP_WITH_CREDENTIALS), { version: FFMPEG5 }).args;
    expect(v4.map((arg) => (arg === '-stimeout' ? '-timeout' : arg))).toEqual(v5);
    // Other kinds do not depend on the version at all.
    const rtmp = camera('rtmp://127.0.0.1/live/x');
    expect(build(rtmp, { version: FFMPEG4 }).args).toEqual(build(rtmp, { version: FFMPEG5 }).args);
  });

  it('an H.265 source found while copying is switched to transcode: only the codec arguments change', () => {
    const cam = camera(RTSP_WITH_CREDENTIALS, RTSP_SUB);
    const copied = build(cam, { plan: { main: 'copy', sub: 'copy' } });
    // The supervisor saw hvc1 on the main stream and switched only that output.
    const switched = build(cam, { plan: { main: 'transcode', sub: 'copy' } });
    expect(switched).toMatchSnapshot();
    expect(switched.outputs).toEqual([
      { role: 'main', fd: 3, mode: 'transcode' },
      { role: 'sub', fd: 4, mode: 'copy' },
    ]);
    const mainPart = switched.args.slice(0, switched.args.indexOf('pipe:3') + 1);
    const subPart = switched.args.slice(switched.args.indexOf('pipe:3') + 1);
    expect(mainPart).toContain('libx264');
    expect(mainPart).not.toContain('copy');
    expect(subPart).toContain('copy');
    expect(subPart).not.toContain('libx264');
    // Inputs are identical: the same camera is opened the same way.
    const inputs = (args: string[]) => args.slice(0, args.indexOf('-map'));
    expect(inputs(switched.args)).toEqual(inputs(copied.args));
    expect(copied.args.slice(copied.args.indexOf('pipe:3') + 1)).toEqual(subPart);
  });

  it('transcodeSize scales inside the box and pads to even dimensions', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS, null, { transcodeSize: { width: 1280, height: 720 } }), {
      plan: { main: 'transcode', sub: null },
    });
    expect(argv).toMatchSnapshot();
    expect(after(argv.args, '-vf')).toBe('scale=1280:720:force_original_aspect_ratio=decrease,pad=ceil(iw/2)*2:ceil(ih/2)*2,format=yuv420p');
  });

  it('transcodeSize does not touch copied outputs', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS, null, { transcodeSize: { width: 640, height: 360 } }), {
      plan: { main: 'copy', sub: null },
    });
    expect(argv.args).not.toContain('-vf');
  });

  it('liveTranscode=always transcodes an RTSP H.264 camera too', () => {
    const cam = camera(RTSP_WITH_CREDENTIALS, RTSP_SUB, { liveTranscode: 'always' });
    const argv = build(cam);
    expect(argv.outputs.map((output) => output.mode)).toEqual(['transcode', 'transcode']);
    expect(count(argv.args, 'libx264')).toBe(2);
  });

  it('a hardware encoder gets no libx264-only options', () => {
    const argv = build(camera('http://127.0.0.1/mjpg'), { h264Encoder: 'h264_nvenc' });
    expect(after(argv.args, '-c:v')).toBe('h264_nvenc');
    expect(argv.args).not.toContain('-preset');
    expect(argv.args).not.toContain('-tune');
    expect(after(argv.args, '-bf')).toBe('0');
  });

  it('transcoding without an H.264 encoder throws UNSUPPORTED_CODEC', () => {
    expect(() => build(camera('http://127.0.0.1/mjpg'), { h264Encoder: null })).toThrow(/no H\.264 encoder.*UNSUPPORTED_CODEC/);
    expect(() => build(camera(RTSP_WITH_CREDENTIALS), { h264Encoder: null, plan: { main: 'transcode', sub: null } })).toThrow(
      /UNSUPPORTED_CODEC/,
    );
  });

  it('copying needs no encoder', () => {
    const argv = build(camera(RTSP_WITH_CREDENTIALS), { h264Encoder: null });
    expect(argv.outputs[0]?.mode).toBe('copy');
  });

  it('an invalid URL throws instead of building argv', () => {
    expect(() => build({ mainUrl: 'ftp://127.0.0.1/x', subUrl: null, options: options() }, { plan: { main: 'copy', sub: null } })).toThrow(
      /URL_SCHEME_UNSUPPORTED/,
    );
    expect(() => sourceKindOf('not a url')).toThrow(/URL_INVALID/);
  });
});

describe('buildCameraArgv: paths FFmpeg can open on each platform', () => {
  // BUG (see report): file:// paths are taken from URL.pathname even on Windows, where
  // file:///C:/footage/lobby.mp4 must become C:/footage/lobby.mp4 (or C:\footage\lobby.mp4), not /C:/footage/lobby.mp4.
  it('file:///C:/... on win32 becomes a drive path', () => {
    const { args } = build(camera('file:///C:/footage/lobby.mp4'), { platform: 'win32' });
    expect(after(args, '-i')).toMatch(/^C:[\\/]footage[\\/]lobby\.mp4$/);
  });

  // BUG (see report): DirectShow names almost always hold spaces ("Integrated Camera"), which
  // classifyStreamUrl rejects, so they can only be written percent-encoded; the argv must decode them.
  it('a percent-encoded DirectShow device name is decoded', () => {
    const { args } = build(camera('device:video=Integrated%20Camera'), { platform: 'win32' });
    expect(after(args, '-i')).toBe('video=Integrated Camera');
  });
});

describe('initialPlan', () => {
  const urls = {
    rtsp: 'rtsp://127.0.0.1/live',
    rtmp: 'rtmp://127.0.0.1/live/x',
    http: 'http://127.0.0.1/video.mjpg',
    hls: 'http://127.0.0.1/live/index.m3u8',
    file: 'file:///srv/footage/a.mp4',
    device: 'device:///dev/video0',
  } as const;

  const auto = { rtsp: 'copy', rtmp: 'copy', http: 'transcode', hls: 'copy', file: 'copy', device: 'transcode' } as const;

  for (const [kind, url] of Object.entries(urls) as [keyof typeof urls, string][]) {
    it(`${kind}: auto -> ${auto[kind]}, always -> transcode, never -> copy`, () => {
      expect(sourceKindOf(url)).toBe(kind);
      expect(initialPlan(camera(url))).toEqual({ main: auto[kind], sub: null });
      expect(initialPlan(camera(url, null, { liveTranscode: 'always' }))).toEqual({ main: 'transcode', sub: null });
      expect(initialPlan(camera(url, null, { liveTranscode: 'never' }))).toEqual({ main: 'copy', sub: null });
    });
  }

  it('plans the sub-stream by its own kind', () => {
    expect(initialPlan(camera(urls.rtsp, urls.http))).toEqual({ main: 'copy', sub: 'transcode' });
    expect(initialPlan(camera(urls.device, urls.rtsp))).toEqual({ main: 'transcode', sub: 'copy' });
    expect(initialPlan(camera(urls.rtsp, urls.rtsp, { liveTranscode: 'always' }))).toEqual({ main: 'transcode', sub: 'transcode' });
    expect(initialPlan(camera(urls.http, urls.device, { liveTranscode: 'never' }))).toEqual({ main: 'copy', sub: 'copy' });
  });

  it('the default options are auto', () => {
    expect(options().liveTranscode).toBe('auto');
  });
});

describe('the argv runs in the real FFmpeg', () => {
  const DEMO = fileURLToPath(new URL('../../../resources/demo/vtest-640x360.mp4', import.meta.url));

  /** Runs the argv with a frame limit, reading every output pipe; resolves with exit code, stderr and bytes per pipe. */
  function runArgv(argv: CameraArgv): Promise<{ code: number | null; stderr: string; bytes: number[] }> {
    const args = [...argv.args];
    for (const output of argv.outputs) args.splice(args.indexOf(`pipe:${output.fd}`), 0, '-frames:v', '10');
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe', ...argv.outputs.map(() => 'pipe' as const)] });
    const bytes = argv.outputs.map(() => 0);
    argv.outputs.forEach((output, index) => {
      (child.stdio[output.fd] as Readable).on('data', (chunk: Buffer) => (bytes[index]! += chunk.length));
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, bytes }));
    });
  }

  it('copy and transcode with an odd transcodeSize both write fMP4 to fd 3 and 4', async () => {
    const url = pathToFileURL(DEMO).href;
    const argv = build(camera(url, url, { transcodeSize: { width: 333, height: 201 } }), { plan: { main: 'copy', sub: 'transcode' } });
    const result = await runArgv(argv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.bytes[0]).toBeGreaterThan(1000);
    expect(result.bytes[1]).toBeGreaterThan(1000);
  }, 30_000);
});
