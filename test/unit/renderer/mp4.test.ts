import { describe, expect, it } from 'vitest';
import { isInitSegment, mimeFromInit, readDecodeTime, readTimescale } from '../../../src/renderer/features/grid/mp4';

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const p of payload) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

function fourcc(s: string): Uint8Array {
  return bytes(...[...s].map((c) => c.charCodeAt(0)));
}

function init(opts: { timescale?: number; mdhdVersion?: 0 | 1; entry?: string; handler?: string } = {}): Uint8Array {
  const version = opts.mdhdVersion ?? 0;
  const mdhd =
    version === 1
      ? box('mdhd', bytes(1, 0, 0, 0), u64(0n), u64(0n), u32(opts.timescale ?? 90000), u64(0n), bytes(0, 0, 0, 0))
      : box('mdhd', bytes(0, 0, 0, 0), u32(0), u32(0), u32(opts.timescale ?? 90000), u32(0), bytes(0, 0, 0, 0));
  const hdlr = box('hdlr', bytes(0, 0, 0, 0), u32(0), fourcc(opts.handler ?? 'vide'), new Uint8Array(13));
  const avcC = box('avcC', bytes(1, 0x4d, 0x40, 0x1e, 0xff));
  const entry = box(opts.entry ?? 'avc1', new Uint8Array(78), avcC);
  const stsd = box('stsd', bytes(0, 0, 0, 0), u32(1), entry);
  const trak = box('trak', box('tkhd', new Uint8Array(84)), box('mdia', mdhd, hdlr, box('minf', box('stbl', stsd))));
  const moov = box('moov', box('mvhd', new Uint8Array(100)), trak);
  const ftyp = box('ftyp', fourcc('isom'), u32(512), fourcc('isom'), fourcc('iso6'));
  const out = new Uint8Array(ftyp.length + moov.length);
  out.set(ftyp);
  out.set(moov, ftyp.length);
  return out;
}

function fragment(decodeTime: number | bigint, version: 0 | 1 = 0): Uint8Array {
  const tfdt = version === 1 ? box('tfdt', bytes(1, 0, 0, 0), u64(BigInt(decodeTime))) : box('tfdt', bytes(0, 0, 0, 0), u32(Number(decodeTime)));
  const moof = box('moof', box('mfhd', bytes(0, 0, 0, 0), u32(7)), box('traf', box('tfhd', bytes(0, 0, 0, 0), u32(1)), tfdt));
  const mdat = box('mdat', bytes(1, 2, 3));
  const out = new Uint8Array(moof.length + mdat.length);
  out.set(moof);
  out.set(mdat, moof.length);
  return out;
}

describe('mp4 reading', () => {
  it('tells init segments from fragments', () => {
    expect(isInitSegment(init())).toBe(true);
    expect(isInitSegment(init().buffer as ArrayBuffer)).toBe(true);
    expect(isInitSegment(fragment(0))).toBe(false);
    expect(isInitSegment(new Uint8Array(3))).toBe(false);
  });

  it('reads the video timescale (mdhd v0 and v1)', () => {
    expect(readTimescale(init({ timescale: 90000 }))).toBe(90000);
    expect(readTimescale(init({ timescale: 12800, mdhdVersion: 1 }))).toBe(12800);
    expect(readTimescale(fragment(0))).toBeNull();
  });

  it('derives the codecs string from avcC', () => {
    expect(mimeFromInit(init())).toBe('video/mp4; codecs="avc1.4d401e"');
    expect(mimeFromInit(init({ entry: 'hvc1' }))).toBe('video/mp4; codecs="hvc1"');
    expect(mimeFromInit(init({ entry: 'mp4v' }))).toBeNull();
    expect(mimeFromInit(fragment(0))).toBeNull();
  });

  it('reads the base media decode time of a fragment (tfdt v0 and v1)', () => {
    expect(readDecodeTime(fragment(123456))).toBe(123456);
    expect(readDecodeTime(fragment(2n ** 40n, 1))).toBe(2 ** 40);
    expect(readDecodeTime(init())).toBeNull();
  });

  it('reads from a view into a larger buffer', () => {
    const frag = fragment(42);
    const padded = new Uint8Array(frag.length + 10);
    padded.set(frag, 5);
    expect(readDecodeTime(padded.subarray(5, 5 + frag.length))).toBe(42);
  });

  it('survives truncated data', () => {
    const frag = fragment(42);
    expect(readDecodeTime(frag.subarray(0, 20))).toBeNull();
    expect(readTimescale(init().subarray(0, 40))).toBeNull();
  });
});
