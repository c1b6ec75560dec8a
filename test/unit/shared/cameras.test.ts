import { describe, it, expect } from 'vitest';
import {
  CameraCreateSchema,
  CameraOptionsSchema,
  CameraUpdateSchema,
  MAX_DIMENSION,
  MIN_DIMENSION,
  classifyStreamUrl,
} from '../../../src/shared/cameras';

describe('classifyStreamUrl', () => {
  it.each([
    ['rtsp://10.0.0.5:554/Streaming/Channels/101', 'rtsp'],
    ['rtsp://admin:s3cret@10.0.0.5/live', 'rtsp'],
    ['rtsps://10.0.0.5:322/live', 'rtsp'],
    ['RTSP://CAM.LOCAL/live', 'rtsp'],
    ['rtsp://[::1]:8554/live', 'rtsp'],
    ['rtmp://10.0.0.5/live/cam1', 'rtmp'],
    ['rtmps://live.example.com/app/key', 'rtmp'],
    ['http://10.0.0.5/video.mjpg', 'http'],
    ['https://10.0.0.5/cgi-bin/mjpg/video.cgi?channel=1', 'http'],
    ['http://10.0.0.5/live/index.m3u8', 'hls'],
    ['https://cdn.example.com/cam/PLAYLIST.M3U8?token=abc', 'hls'],
    ['file:///srv/footage/lobby.mp4', 'file'],
    ['file:///srv/footage/lobby%20cam.mp4', 'file'],
    ['device:///dev/video0', 'device'],
    ['device:video0', 'device'],
    ['device:video=USB_Camera', 'device'],
    ['device:0', 'device'],
  ])('%s -> %s', (url, kind) => {
    expect(classifyStreamUrl(url)).toEqual({ kind });
  });

  it('an .m3u8 in the query string is not HLS', () => {
    expect(classifyStreamUrl('http://10.0.0.5/video.cgi?playlist=x.m3u8')).toEqual({ kind: 'http' });
  });

  it.each([
    ['', 'empty'],
    ['rtsp://10.0.0.5/live cam', 'a space'],
    ['rtsp://10.0.0.5/live\n', 'a newline'],
    ['rtsp://10.0.0.5/\tlive', 'a tab'],
    ['rtsp://10.0.0.5/live\u0000', 'a NUL'],
    [`rtsp://10.0.0.5/${'a'.repeat(2040)}`, 'over 2048 characters'],
    ['10.0.0.5/live', 'no scheme'],
    ['/dev/video0', 'a bare path'],
    ['rtsp://', 'no host (rtsp)'],
    ['rtsp:10.0.0.5/live', 'no // (rtsp)'],
    ['rtsp://10.0.0.5:99999/live', 'a port out of range'],
    ['rtmp:///live', 'no host (rtmp)'],
    ['http://', 'no host (http)'],
    ['https://exa mple.com/x', 'a space in the host'],
    ['file:///', 'no file path'],
    ['device:', 'no device'],
  ])('%j (%s) -> URL_INVALID', (url) => {
    expect(classifyStreamUrl(url)).toEqual({ problem: 'URL_INVALID' });
  });

  it('accepts exactly 2048 characters', () => {
    const url = `rtsp://h/${'a'.repeat(2048 - 'rtsp://h/'.length)}`;
    expect(url).toHaveLength(2048);
    expect(classifyStreamUrl(url)).toEqual({ kind: 'rtsp' });
    expect(classifyStreamUrl(`${url}a`)).toEqual({ problem: 'URL_INVALID' });
  });

  it.each(['ftp://10.0.0.5/video.mp4', 'srt://10.0.0.5:9000', 'udp://239.0.0.1:1234', 'javascript:alert(1)', 'mailto:a@b.c', 'ws://10.0.0.5/live'])(
    '%s -> URL_SCHEME_UNSUPPORTED',
    (url) => {
      expect(classifyStreamUrl(url)).toEqual({ problem: 'URL_SCHEME_UNSUPPORTED' });
    },
  );
});

describe('CameraOptionsSchema', () => {
  it('fills every default', () => {
    expect(CameraOptionsSchema.parse({})).toEqual({ rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true });
  });

  it('bounds stallSeconds and transcodeSize', () => {
    expect(CameraOptionsSchema.safeParse({ stallSeconds: 2 }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ stallSeconds: 121 }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ stallSeconds: 3 }).success).toBe(true);
    expect(CameraOptionsSchema.safeParse({ transcodeSize: { width: MIN_DIMENSION, height: MAX_DIMENSION } }).success).toBe(true);
    expect(CameraOptionsSchema.safeParse({ transcodeSize: { width: MIN_DIMENSION - 1, height: 480 } }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ transcodeSize: { width: 640, height: MAX_DIMENSION + 1 } }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ transcodeSize: { width: 640.5, height: 360 } }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ transcodeSize: { width: 640 } }).success).toBe(false);
  });

  it('rejects unknown enum values', () => {
    expect(CameraOptionsSchema.safeParse({ rtspTransport: 'http' }).success).toBe(false);
    expect(CameraOptionsSchema.safeParse({ liveTranscode: 'sometimes' }).success).toBe(false);
  });
});

describe('CameraCreateSchema', () => {
  it('applies defaults and trims the name', () => {
    expect(CameraCreateSchema.parse({ name: '  Lobby  ', mainUrl: 'rtsp://10.0.0.5/live' })).toEqual({
      name: 'Lobby',
      mainUrl: 'rtsp://10.0.0.5/live',
      enabled: true,
      options: { rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true },
    });
  });

  it('fills option defaults when options are given partly', () => {
    const parsed = CameraCreateSchema.parse({ name: 'Gate', mainUrl: 'rtsp://10.0.0.5/live', options: { rtspTransport: 'udp' } });
    expect(parsed.options).toEqual({ rtspTransport: 'udp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true });
  });

  it('keeps a sub-stream and an explicit enabled flag', () => {
    const parsed = CameraCreateSchema.parse({ name: 'Gate', mainUrl: 'rtsp://10.0.0.5/main', subUrl: 'rtsp://10.0.0.5/sub', enabled: false });
    expect(parsed.subUrl).toBe('rtsp://10.0.0.5/sub');
    expect(parsed.enabled).toBe(false);
  });

  it('is strict: unknown fields are rejected at every level', () => {
    const top = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', password: 'x' });
    expect(top.success).toBe(false);
    expect(top.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['password'], path: [] });
    const nested = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', options: { bitrate: 1 } });
    expect(nested.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['bitrate'], path: ['options'] });
    const size = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', options: { transcodeSize: { width: 640, height: 360, fps: 5 } } });
    expect(size.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['options', 'transcodeSize'] });
  });

  it('rejects an absurd transcodeSize', () => {
    const result = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', options: { transcodeSize: { width: 100000, height: 5 } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([
      ['too_big', 'options.transcodeSize.width'],
      ['too_small', 'options.transcodeSize.height'],
    ]);
  });

  it('rejects bad URLs with the reason as the message', () => {
    const invalid = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'not a url' });
    expect(invalid.error?.issues[0]).toMatchObject({ code: 'custom', message: 'URL_INVALID', path: ['mainUrl'] });
    const scheme = CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', subUrl: 'ftp://h/y' });
    expect(scheme.error?.issues[0]).toMatchObject({ code: 'custom', message: 'URL_SCHEME_UNSUPPORTED', path: ['subUrl'] });
    expect(CameraCreateSchema.safeParse({ name: 'a', mainUrl: 42 }).success).toBe(false);
    expect(CameraCreateSchema.safeParse({ name: 'a' }).success).toBe(false);
  });

  it('rejects empty, blank and over-long names', () => {
    expect(CameraCreateSchema.safeParse({ name: '', mainUrl: 'rtsp://h/x' }).success).toBe(false);
    expect(CameraCreateSchema.safeParse({ name: '    ', mainUrl: 'rtsp://h/x' }).success).toBe(false);
    expect(CameraCreateSchema.safeParse({ name: 'x'.repeat(81), mainUrl: 'rtsp://h/x' }).success).toBe(false);
    expect(CameraCreateSchema.safeParse({ name: 'x'.repeat(80), mainUrl: 'rtsp://h/x' }).success).toBe(true);
  });

  it('does not accept a null sub-stream on create', () => {
    expect(CameraCreateSchema.safeParse({ name: 'a', mainUrl: 'rtsp://h/x', subUrl: null }).success).toBe(false);
  });
});

describe('CameraUpdateSchema', () => {
  it('accepts an empty update', () => {
    expect(CameraUpdateSchema.parse({})).toEqual({});
  });

  // BUG (see report): .partial() keeps the zod defaults, so an update that sends only
  // stallSeconds comes out with rtspTransport 'tcp' and liveTranscode 'auto' too, and
  // CamerasRepo.update then overwrites the camera's stored udp / never / always settings.
  it('an options update carries only the options that were sent', () => {
    expect(CameraUpdateSchema.parse({ options: { stallSeconds: 20 } })).toEqual({ options: { stallSeconds: 20 } });
  });

  it('accepts null to remove the sub-stream', () => {
    expect(CameraUpdateSchema.parse({ subUrl: null })).toEqual({ subUrl: null });
  });

  it('is strict and validates what it gets', () => {
    expect(CameraUpdateSchema.safeParse({ id: 'x' }).success).toBe(false);
    expect(CameraUpdateSchema.safeParse({ options: { color: 'red' } }).success).toBe(false);
    expect(CameraUpdateSchema.safeParse({ mainUrl: 'gopher://h' }).success).toBe(false);
    expect(CameraUpdateSchema.safeParse({ name: ' ' }).success).toBe(false);
  });
});
