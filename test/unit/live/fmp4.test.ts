import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MAX_BOX_BYTES, Mp4BoxSplitter, type Mp4Box } from '../../../src/main/engine/live/fmp4';
import { fragmentBaseDecodeTime, fragmentIsKeyframe, parseInitSegment } from '../../../src/shared/fmp4';

// Fixtures are made by the real FFmpeg with the same movflags the engine uses for live video.
// The splitter is the engine's; the parsing (src/shared/fmp4.ts) is shared with the player, whose
// hand-built edge cases are in test/unit/shared/fmp4.test.ts.
const run = promisify(execFile);
const DEMO = fileURLToPath(new URL('../../../resources/demo/vtest-640x360.mp4', import.meta.url));
const LIVE_MOVFLAGS = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame'];

let dir = '';
let h264: Buffer = Buffer.alloc(0);
let h265: Buffer = Buffer.alloc(0);
let audioOnly: Buffer = Buffer.alloc(0);
/** ffprobe's view of the H.264 fixture, the reference the parser is checked against. */
let probe264 = { keyframes: [] as boolean[], dts: [] as number[], level: 0, timescale: 0 };
let probe265 = { keyframes: [] as boolean[], level: 0, profile: '' };

async function ffmpeg(args: string[], out: string): Promise<Buffer> {
  await run('ffmpeg', ['-v', 'error', '-y', ...args, ...LIVE_MOVFLAGS, out]);
  return readFile(out);
}

async function ffprobe(args: string[], file: string): Promise<string> {
  return (await run('ffprobe', ['-v', 'error', '-select_streams', 'v', ...args, '-of', 'csv=p=0', file])).stdout;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-fmp4-'));
  const f264 = join(dir, 'h264.mp4');
  const f265 = join(dir, 'h265.mp4');
  [h264, h265, audioOnly] = await Promise.all([
    ffmpeg(['-i', DEMO, '-t', '6', '-c:v', 'copy', '-an'], f264),
    ffmpeg(['-i', DEMO, '-t', '2', '-c:v', 'libx265', '-x265-params', 'log-level=error', '-s', '320x180', '-an'], f265),
    ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '1', '-c:a', 'aac'], join(dir, 'audio.mp4')),
  ]);
  const packets = (await ffprobe(['-show_entries', 'packet=flags,dts'], f264)).trim().split('\n');
  const [level, timeBase] = (await ffprobe(['-show_entries', 'stream=level,time_base'], f264)).trim().split(',');
  probe264 = {
    keyframes: packets.map((line) => (line.split(',')[1] ?? '').startsWith('K')),
    dts: packets.map((line) => Number(line.split(',')[0])),
    level: Number(level),
    timescale: Number(timeBase?.split('/')[1]),
  };
  const [profile265, level265] = (await ffprobe(['-show_entries', 'stream=profile,level'], f265)).trim().split(',');
  probe265 = {
    keyframes: (await ffprobe(['-show_entries', 'packet=flags'], f265))
      .trim()
      .split('\n')
      .map((line) => line.startsWith('K')),
    level: Number(level265),
    profile: profile265 ?? '',
  };
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Feeds `bytes` in pieces whose sizes `nextSize` picks; returns every box produced. */
function split(bytes: Buffer, nextSize: () => number): Mp4Box[] {
  const splitter = new Mp4BoxSplitter();
  const boxes: Mp4Box[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, nextSize());
    // Copies, so no box can lean on the caller's buffer being one piece.
    boxes.push(...splitter.push(Buffer.from(bytes.subarray(at, at + size))));
    at += size;
  }
  expect(splitter.pendingBytes).toBe(0);
  return boxes;
}

/** Deterministic pseudo-random sizes (a tiny LCG), so a failure can be reproduced. */
function randomSizes(seed: number, max: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % max);
  };
}

function fragmentsOf(boxes: Mp4Box[]): Buffer[] {
  return boxes.filter((box) => box.type === 'moof').map((box) => box.data);
}

describe('Mp4BoxSplitter', () => {
  it('cuts FFmpeg live output into ftyp, moov, then a moof+mdat pair per frame', () => {
    const boxes = split(h264, () => h264.length);
    expect(boxes.slice(0, 2).map((box) => box.type)).toEqual(['ftyp', 'moov']);
    const media = boxes.slice(2).filter((box) => box.type === 'moof' || box.type === 'mdat');
    expect(media).toHaveLength(2 * probe264.keyframes.length);
    media.forEach((box, i) => expect(box.type).toBe(i % 2 === 0 ? 'moof' : 'mdat'));
    // Nothing lost, nothing added.
    expect(Buffer.concat(boxes.map((box) => box.data)).equals(h264)).toBe(true);
  });

  it('gives the same boxes whether fed the whole file, one byte at a time, or random pieces', () => {
    const whole = split(h264, () => h264.length);
    const expected = whole.map((box) => ({ type: box.type, hex: box.data.toString('hex') }));
    for (const nextSize of [() => 1, randomSizes(7, 5000), randomSizes(99, 40), () => 4096]) {
      const boxes = split(h264, nextSize);
      expect(boxes.map((box) => ({ type: box.type, hex: box.data.toString('hex') }))).toEqual(expected);
    }
  });

  it('returns several boxes from one chunk and waits across chunks for a split one', () => {
    const splitter = new Mp4BoxSplitter();
    const [ftyp, moov] = split(h264, () => h264.length);
    if (!ftyp || !moov) throw new Error('fixture has no init segment');
    const both = Buffer.concat([ftyp.data, moov.data]);
    expect(splitter.push(both.subarray(0, ftyp.data.length + 10)).map((box) => box.type)).toEqual(['ftyp']);
    expect(splitter.pendingBytes).toBe(10);
    expect(splitter.push(both.subarray(ftyp.data.length + 10))).toEqual([{ type: 'moov', data: moov.data }]);
  });

  it('reads a 64-bit largesize header', () => {
    const mdat = split(h264, () => h264.length).find((box) => box.type === 'mdat');
    if (!mdat) throw new Error('fixture has no mdat');
    const payload = mdat.data.subarray(8);
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1, 0);
    header.write('mdat', 4, 'latin1');
    header.writeBigUInt64BE(BigInt(16 + payload.length), 8);
    const large = Buffer.concat([header, payload, Buffer.from('0000000866726565', 'hex')]);

    const boxes = split(large, randomSizes(3, 11));
    expect(boxes.map((box) => box.type)).toEqual(['mdat', 'free']);
    expect(boxes[0]?.data.equals(Buffer.concat([header, payload]))).toBe(true);
  });

  it('rejects sizes no live stream has, with a message that says why', () => {
    const header = (size: number, type = 'mdat') => {
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32BE(size, 0);
      bytes.write(type, 4, 'latin1');
      return bytes;
    };
    expect(() => new Mp4BoxSplitter().push(header(MAX_BOX_BYTES + 1))).toThrow(/more than the 67108864-byte limit/);
    expect(() => new Mp4BoxSplitter().push(header(4))).toThrow(/size 4 is smaller than its header/);
    expect(() => new Mp4BoxSplitter().push(header(0))).toThrow(/size 0/);
    const large = Buffer.concat([header(1), Buffer.alloc(8)]);
    large.writeBigUInt64BE(2n ** 40n, 8);
    expect(() => new Mp4BoxSplitter().push(large)).toThrow(/1099511627776 bytes, more than/);
    expect(() => new Mp4BoxSplitter().push(Buffer.from('this is not an mp4 stream'))).toThrow(/fMP4/);
    expect(() => new Mp4BoxSplitter().push(header(100, 'm\u0000\u0001t'))).toThrow(/not four printable characters/);
    expect(() => new Mp4BoxSplitter(1000).push(header(1001))).toThrow(/1000-byte limit/);
  });

  it('starts clean after reset()', () => {
    const splitter = new Mp4BoxSplitter();
    splitter.push(h264.subarray(0, 50));
    splitter.reset();
    expect(splitter.pendingBytes).toBe(0);
    expect(splitter.push(h264.subarray(0, 28)).map((box) => box.type)).toEqual(['ftyp']);
  });
});

describe('parseInitSegment', () => {
  it('reads codec, size and timing of an H.264 stream', () => {
    const [ftyp, moov] = split(h264, () => h264.length);
    const info = parseInitSegment(Buffer.concat([ftyp?.data ?? Buffer.alloc(0), moov?.data ?? Buffer.alloc(0)]));
    // Main profile (0x4d), constraint_set1 (0x40), level as ffprobe reports it (22 = 2.2).
    expect(info.codec).toBe(`avc1.4d40${probe264.level.toString(16).padStart(2, '0')}`);
    expect(info.codec).toBe('avc1.4d4016');
    expect(info).toMatchObject({ fourcc: 'avc1', width: 640, height: 360, trackId: 1, timescale: probe264.timescale });
    // FFmpeg's trex says "sync sample" by default; each fragment then states its own flags.
    expect(info.defaultSampleFlags).toBe(0);
  });

  it('accepts a moov without its ftyp', () => {
    const moov = split(h264, () => h264.length)[1];
    expect(parseInitSegment(moov?.data ?? Buffer.alloc(0)).codec).toBe('avc1.4d4016');
  });

  it('builds the HEVC codec string browsers expect', () => {
    const boxes = split(h265, () => h265.length);
    const info = parseInitSegment(Buffer.concat(boxes.slice(0, 2).map((box) => box.data)));
    expect(probe265.profile).toBe('Main');
    // Main profile (1), compatible with Main and Main 10 (flags 1 and 2, reversed: 0x6),
    // Main tier, level_idc as ffprobe reports it, then constraint bytes without trailing zeros.
    expect(info.codec).toMatch(new RegExp(`^hev1\\.1\\.6\\.L${probe265.level}(\\.[0-9A-F]{2}){1,6}$`));
    expect(info.codec).not.toMatch(/\.00$/);
    // x265 on progressive input sets progressive_source and frame_only_constraint: 0x90.
    expect(info.codec).toBe('hev1.1.6.L60.90');
    expect(info).toMatchObject({ fourcc: 'hev1', width: 320, height: 180, trackId: 1 });
  });

  it('refuses an init segment without a video track, or without a moov', () => {
    const init = split(audioOnly, () => audioOnly.length).slice(0, 2);
    expect(init.map((box) => box.type)).toEqual(['ftyp', 'moov']);
    expect(() => parseInitSegment(Buffer.concat(init.map((box) => box.data)))).toThrow('fMP4: moov has no video track');
    expect(() => parseInitSegment(init[0]?.data ?? Buffer.alloc(0))).toThrow('fMP4: init segment has no moov box');
    expect(() => parseInitSegment(h264.subarray(0, 100))).toThrow(/fMP4: malformed/);
  });
});

describe('fragment flags', () => {
  it('finds the keyframes where ffprobe does (H.264, GOP 20)', () => {
    const info = parseInitSegment(h264);
    const keyframes = fragmentsOf(split(h264, () => h264.length)).map((moof) =>
      fragmentIsKeyframe(moof, info.defaultSampleFlags),
    );
    expect(keyframes).toEqual(probe264.keyframes);
    expect(keyframes.flatMap((key, i) => (key ? [i] : []))).toEqual([0, 20, 40]);
  });

  it('finds the keyframes where ffprobe does (H.265 with B-frames)', () => {
    const info = parseInitSegment(h265);
    const keyframes = fragmentsOf(split(h265, () => h265.length)).map((moof) =>
      fragmentIsKeyframe(moof, info.defaultSampleFlags),
    );
    expect(keyframes).toEqual(probe265.keyframes);
    expect(keyframes[0]).toBe(true);
  });

  it('reads each fragment’s decode time as ffprobe’s dts', () => {
    const times = fragmentsOf(split(h264, () => h264.length)).map(fragmentBaseDecodeTime);
    expect(times).toEqual(probe264.dts);
  });

  it('reads the same from plain Uint8Arrays over whole moof+mdat fragments, as the player gets them', () => {
    const boxes = split(h264, () => h264.length);
    const init = Buffer.concat(boxes.slice(0, 2).map((box) => box.data));
    const asPlayerGetsIt = (bytes: Buffer) => new Uint8Array(new Uint8Array(bytes).buffer);
    expect(parseInitSegment(asPlayerGetsIt(init))).toEqual(parseInitSegment(init));
    const fragments: Uint8Array[] = [];
    for (let i = 2; i + 1 < boxes.length; i += 2) {
      const [moof, mdat] = [boxes[i], boxes[i + 1]];
      if (moof?.type === 'moof' && mdat?.type === 'mdat') fragments.push(asPlayerGetsIt(Buffer.concat([moof.data, mdat.data])));
    }
    expect(fragments).toHaveLength(probe264.dts.length);
    expect(fragments.map(fragmentBaseDecodeTime)).toEqual(probe264.dts);
    expect(fragments.map((fragment) => fragmentIsKeyframe(fragment, 0))).toEqual(probe264.keyframes);
  });
});
