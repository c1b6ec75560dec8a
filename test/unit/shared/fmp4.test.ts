import { describe, expect, it } from 'vitest';
import {
  fragmentBaseDecodeTime,
  fragmentIsKeyframe,
  isInitSegment,
  liveMime,
  parseInitSegment,
} from '../../../src/shared/fmp4';

// Hand-built boxes on plain Uint8Arrays (no Buffer), as the player gets them from a WebSocket.
// Real FFmpeg output is checked in test/unit/live/fmp4.test.ts; these cover the layouts FFmpeg
// does not write and the player's edge cases.

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const out = concat(new Uint8Array(8), ...payload);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  return out;
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

function u32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((value, i) => new DataView(out.buffer).setUint32(4 * i, value >>> 0));
  return out;
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function fourcc(s: string): Uint8Array {
  return bytes(...[...s].map((c) => c.charCodeAt(0)));
}

interface InitOptions {
  timescale?: number;
  mdhdVersion?: 0 | 1;
  entry?: string;
  /** The sample entry's codec configuration box (avcC, hvcC...). */
  config?: Uint8Array;
  handler?: string;
  width?: number;
  height?: number;
  /** trex default_sample_flags; no mvex when undefined. */
  trexFlags?: number;
}

const AVCC = box('avcC', bytes(1, 0x4d, 0x40, 0x1e, 0xff));

function init(opts: InitOptions = {}): Uint8Array {
  const mdhd =
    (opts.mdhdVersion ?? 0) === 1
      ? box('mdhd', bytes(1, 0, 0, 0), u64(0n), u64(0n), u32(opts.timescale ?? 90000), u64(0n), bytes(0, 0, 0, 0))
      : box('mdhd', bytes(0, 0, 0, 0), u32(0, 0, opts.timescale ?? 90000, 0), bytes(0, 0, 0, 0));
  const hdlr = box('hdlr', bytes(0, 0, 0, 0), u32(0), fourcc(opts.handler ?? 'vide'), new Uint8Array(13));
  // tkhd v0: version/flags, creation, modification, track_ID, ...
  const tkhd = box('tkhd', u32(0, 0, 0, 1), new Uint8Array(68));
  const visual = new Uint8Array(78);
  new DataView(visual.buffer).setUint16(24, opts.width ?? 640);
  new DataView(visual.buffer).setUint16(26, opts.height ?? 360);
  const entry = box(opts.entry ?? 'avc1', visual, opts.config ?? AVCC);
  const stsd = box('stsd', u32(0, 1), entry);
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', box('stbl', stsd))));
  const mvex = opts.trexFlags === undefined ? [] : [box('mvex', box('trex', u32(0, 1, 1, 0, 0, opts.trexFlags)))];
  const moov = box('moov', box('mvhd', new Uint8Array(100)), trak, ...mvex);
  const ftyp = box('ftyp', fourcc('isom'), u32(512), fourcc('isom'), fourcc('iso6'));
  return concat(ftyp, moov);
}

/** hvcC with profile byte, compatibility flags, six constraint bytes and level_idc. */
function hvcC(profile: number, compatibility: number, constraints: number[], level: number): Uint8Array {
  return box('hvcC', bytes(1, profile), u32(compatibility), bytes(...constraints, level), new Uint8Array(10));
}

const NON_SYNC = 0x01010000;
const SYNC = 0x02000000;
const plainTfhd = box('tfhd', u32(0x020000, 1));
const moof = (tfhd: Uint8Array, ...rest: Uint8Array[]) => box('moof', box('mfhd', u32(0, 1)), box('traf', tfhd, ...rest));

/** A fragment as the hub relays it: moof (with tfdt and one sample) + mdat. */
function fragment(decodeTime: number | bigint, version: 0 | 1 = 0): Uint8Array {
  const tfdt = version === 1 ? box('tfdt', bytes(1, 0, 0, 0), u64(BigInt(decodeTime))) : box('tfdt', u32(0, Number(decodeTime)));
  return concat(moof(plainTfhd, tfdt, box('trun', u32(0x000005, 1, 0, SYNC))), box('mdat', bytes(1, 2, 3)));
}

describe('isInitSegment', () => {
  it('tells init segments (ftyp or moov first) from fragments', () => {
    expect(isInitSegment(init())).toBe(true);
    expect(isInitSegment(init().subarray(24))).toBe(true); // moov without its ftyp
    expect(isInitSegment(fragment(0))).toBe(false);
    expect(isInitSegment(box('styp', fourcc('msdh')))).toBe(false);
    expect(isInitSegment(new Uint8Array(3))).toBe(false);
  });
});

describe('parseInitSegment', () => {
  it('reads codec, size, track and timing (mdhd v0 and v1)', () => {
    expect(parseInitSegment(init({ timescale: 90000 }))).toEqual({
      codec: 'avc1.4d401e',
      fourcc: 'avc1',
      width: 640,
      height: 360,
      timescale: 90000,
      trackId: 1,
      defaultSampleFlags: null,
    });
    expect(parseInitSegment(init({ timescale: 12800, mdhdVersion: 1 })).timescale).toBe(12800);
    expect(parseInitSegment(init({ trexFlags: NON_SYNC })).defaultSampleFlags).toBe(NON_SYNC);
    expect(parseInitSegment(init({ entry: 'avc3', width: 1920, height: 1080 }))).toMatchObject({ codec: 'avc3.4d401e', width: 1920, height: 1080 });
  });

  it('builds HEVC codec strings with profile space, tier and constraint bytes', () => {
    // Main (1), compatible with Main and Main 10 (bits 1 and 2, reversed: 6), level 93, 0xB0.
    const main = init({ entry: 'hvc1', config: hvcC(0x01, 0x60000000, [0xb0, 0, 0, 0, 0, 0], 93) });
    expect(parseInitSegment(main).codec).toBe('hvc1.1.6.L93.B0');
    // Profile space 1 ('A'), High tier, Main 10 (2); every constraint byte kept up to the last non-zero.
    const high = init({ entry: 'hev1', config: hvcC(0x62, 0x20000000, [0x90, 0, 0x01, 0, 0, 0], 120) });
    expect(parseInitSegment(high).codec).toBe('hev1.A2.4.H120.90.00.01');
  });

  it('gives the bare fourcc for a format it knows no parameters of', () => {
    expect(parseInitSegment(init({ entry: 'mp4v', config: box('esds', u32(0)) })).codec).toBe('mp4v');
  });

  it('says what is missing or malformed', () => {
    expect(() => parseInitSegment(init({ handler: 'soun' }))).toThrow('fMP4: moov has no video track');
    expect(() => parseInitSegment(fragment(0))).toThrow('fMP4: init segment has no moov box');
    expect(() => parseInitSegment(init({ entry: 'hvc1' }))).toThrow("fMP4: malformed 'hvc1': no 'hvcC' box");
    expect(() => parseInitSegment(init().subarray(0, 40))).toThrow(/fMP4: malformed 'init segment': 'moov' box of \d+ bytes does not fit/);
  });

  it('reads from a view into a larger buffer, as a Buffer from a pool is', () => {
    const segment = init({ timescale: 25 });
    const padded = new Uint8Array(segment.length + 10);
    padded.set(segment, 5);
    expect(parseInitSegment(padded.subarray(5, 5 + segment.length))).toMatchObject({ codec: 'avc1.4d401e', timescale: 25, width: 640 });
  });
});

describe('liveMime', () => {
  it('is the MediaSource type with the codecs parameter', () => {
    expect(liveMime(parseInitSegment(init()))).toBe('video/mp4; codecs="avc1.4d401e"');
    const hevc = init({ entry: 'hvc1', config: hvcC(0x01, 0x60000000, [0xb0, 0, 0, 0, 0, 0], 93) });
    expect(liveMime(parseInitSegment(hevc))).toBe('video/mp4; codecs="hvc1.1.6.L93.B0"');
  });
});

describe('fragmentBaseDecodeTime', () => {
  it('reads tfdt v0 and v1 from a whole fragment or its moof alone', () => {
    expect(fragmentBaseDecodeTime(fragment(123456))).toBe(123456);
    expect(fragmentBaseDecodeTime(fragment(2n ** 40n, 1))).toBe(2 ** 40);
    expect(fragmentBaseDecodeTime(moof(plainTfhd, box('tfdt', u32(0, 7))))).toBe(7);
    expect(fragmentBaseDecodeTime(moof(plainTfhd, box('trun', u32(0, 0))))).toBeNull();
  });

  it('reads from a view into a larger buffer', () => {
    const frag = fragment(42);
    const padded = new Uint8Array(frag.length + 10);
    padded.set(frag, 5);
    expect(fragmentBaseDecodeTime(padded.subarray(5, 5 + frag.length))).toBe(42);
  });

  it('refuses what is not a fragment, or a truncated one', () => {
    expect(() => fragmentBaseDecodeTime(init())).toThrow("fMP4: expected a moof box, got 'ftyp'");
    expect(() => fragmentBaseDecodeTime(fragment(42).subarray(0, 20))).toThrow(/fMP4: malformed 'fragment'/);
    expect(() => fragmentBaseDecodeTime(moof(plainTfhd, box('tfdt', bytes(0, 0, 0, 0, 1))))).toThrow(/malformed 'tfdt': 5 bytes, fields need 8/);
  });
});

describe('fragmentIsKeyframe: flag sources FFmpeg does not use', () => {
  it('per-sample flags (trun 0x400), after duration and size', () => {
    const trun = (first: number) => box('trun', u32(0x000701, 2, 0, 100, 500, first, 100, 300, NON_SYNC));
    expect(fragmentIsKeyframe(moof(plainTfhd, trun(SYNC)), NON_SYNC)).toBe(true);
    expect(fragmentIsKeyframe(moof(plainTfhd, trun(NON_SYNC)), 0)).toBe(false);
  });

  it('first_sample_flags wins over per-sample flags', () => {
    const trun = box('trun', u32(0x000405, 1, 0, SYNC, NON_SYNC));
    expect(fragmentIsKeyframe(moof(plainTfhd, trun), NON_SYNC)).toBe(true);
  });

  it('tfhd default flags, after base offset and description index; then trex', () => {
    const trun = box('trun', u32(0x000001, 1, 0));
    const tfhd = (flags: number) => box('tfhd', u32(0x23, 1, 0, 0, 1, flags));
    expect(fragmentIsKeyframe(moof(tfhd(NON_SYNC), trun), SYNC)).toBe(false);
    expect(fragmentIsKeyframe(moof(tfhd(SYNC), trun), NON_SYNC)).toBe(true);
    expect(fragmentIsKeyframe(moof(plainTfhd, trun), NON_SYNC)).toBe(false);
    expect(fragmentIsKeyframe(moof(plainTfhd, trun), SYNC)).toBe(true);
    expect(fragmentIsKeyframe(moof(plainTfhd, trun), null)).toBe(true);
  });

  it('a trun without samples is no keyframe; the mdat after a moof is ignored', () => {
    expect(fragmentIsKeyframe(moof(plainTfhd, box('trun', u32(0x4, 0, SYNC))), SYNC)).toBe(false);
    expect(fragmentIsKeyframe(fragment(0), NON_SYNC)).toBe(true);
    expect(() => fragmentIsKeyframe(box('mdat'), null)).toThrow(/expected a moof box, got 'mdat'/);
  });
});
