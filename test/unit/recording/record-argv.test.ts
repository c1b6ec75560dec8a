// The record output of the camera's one FFmpeg: pure argv, snapshot-tested like the live outputs.
import { describe, expect, it } from 'vitest';
import { CameraOptionsSchema } from '../../../src/shared/cameras';
import { buildCameraArgv, initialPlan, type ArgvInput, type DetectPlan, type RecordPlan } from '../../../src/main/engine/cameras/ffmpeg-argv';

const FFMPEG5 = { version: { major: 5, minor: 1, text: '5.1.9' }, h264Encoder: 'libx264' };
const RECORD: RecordPlan = { dir: '/var/lib/vigil/recordings/cam-1', segmentSeconds: 10, fragmentSeconds: 1 };
const DETECT: DetectPlan = { fps: 5, objects: true, width: 640, motionWidth: 96, hwaccel: 'none' };

function input(overrides: Partial<ArgvInput> & { subUrl?: string | null } = {}): ArgvInput {
  const camera = { mainUrl: 'rtsp://admin:pw@10.0.0.5/main', subUrl: overrides.subUrl ?? null, options: CameraOptionsSchema.parse({}) };
  return { camera, ffmpeg: FFMPEG5, plan: initialPlan(camera), platform: 'linux', record: RECORD, ...overrides };
}

function after(args: readonly string[], flag: string, from = 0): string | undefined {
  const index = args.indexOf(flag, from);
  return index < 0 ? undefined : args[index + 1];
}

describe('buildCameraArgv: record output', () => {
  it('rtsp with a sub-stream and detection: segments of the main input on the last pipe', () => {
    const argv = buildCameraArgv(input({ subUrl: 'rtsp://admin:pw@10.0.0.5/sub', detect: DETECT }));
    expect(argv).toMatchSnapshot();
    // fd 3 main live, 4 sub live, 5 detect, 6 motion, 7 the segment list.
    expect(argv.segmentListFd).toBe(7);
    const { args } = argv;
    const segment = args.indexOf('segment');
    expect(args[segment - 1]).toBe('-f');
    // The record output maps input 0 (main), copied, whatever feeds detection.
    expect(args.slice(args.lastIndexOf('-map', segment), segment)).toEqual(['-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy', '-f']);
    expect(after(args, '-segment_time')).toBe('10');
    expect(after(args, '-segment_format')).toBe('mp4');
    expect(after(args, '-segment_format_options')).toBe('movflags=+frag_keyframe+empty_moov+default_base_moof:frag_duration=1000000:flush_packets=1');
    expect(after(args, '-segment_list')).toBe('pipe:7');
    expect(after(args, '-segment_list_type')).toBe('csv');
    expect(after(args, '-strftime')).toBe('1');
    expect(after(args, '-reset_timestamps')).toBe('1');
    expect(args.at(-1)).toBe('/var/lib/vigil/recordings/cam-1/%Y-%m-%d/%Y-%m-%dT%H-%M-%SZ.mp4');
    expect(argv.env).toEqual({ TZ: 'UTC0' });
  });

  it('copies the main stream even when the live output of it is transcoded', () => {
    const argv = buildCameraArgv(input({ plan: { main: 'transcode', sub: null } }));
    const segment = argv.args.indexOf('segment');
    const recordPart = argv.args.slice(argv.args.lastIndexOf('-map', segment), segment);
    expect(recordPart).toEqual(['-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy', '-f']);
    expect(argv.segmentListFd).toBe(4);
  });

  it("escapes '%' in the folder (strftime would read it) and drops a trailing separator", () => {
    const argv = buildCameraArgv(input({ record: { ...RECORD, dir: 'C:\\Vigil 100%\\rec\\cam-1\\' }, platform: 'win32' }));
    expect(argv.args.at(-1)).toBe('C:\\Vigil 100%%\\rec\\cam-1/%Y-%m-%d/%Y-%m-%dT%H-%M-%SZ.mp4');
  });

  it('fragment length follows the plan', () => {
    const argv = buildCameraArgv(input({ record: { ...RECORD, fragmentSeconds: 0.5, segmentSeconds: 6 } }));
    expect(after(argv.args, '-segment_format_options')).toContain('frag_duration=500000');
    expect(after(argv.args, '-segment_time')).toBe('6');
  });

  it('without a record plan: no segment output, no list pipe, no extra environment', () => {
    for (const record of [undefined, null]) {
      const argv = buildCameraArgv(input({ record }));
      expect(argv.args).not.toContain('segment');
      expect(argv.segmentListFd).toBeNull();
      expect(argv.env).toEqual({});
    }
  });
});
