// Just enough ISO BMFF (MP4) to relay FFmpeg's fragmented MP4 to browsers: cut the byte stream
// into top-level boxes, read the init segment (codec string for MSE, picture size, timing), and
// tell whether a fragment starts with a keyframe (where a late viewer may join).
// Layouts follow ISO/IEC 14496-12 (boxes) and 14496-15 (avcC, hvcC); codec strings follow
// RFC 6381 and 14496-15 Annex E, the forms MediaSource.isTypeSupported() accepts.

/** One complete top-level box; `data` is the whole box, header included. */
export interface Mp4Box {
  type: string;
  data: Buffer;
}

/** What a player needs to know from the init segment (ftyp + moov). */
export interface InitInfo {
  /** RFC 6381 codecs parameter, e.g. 'avc1.64001f' or 'hvc1.1.6.L93.B0'. */
  codec: string;
  /** Sample entry type: 'avc1' | 'avc3' | 'hvc1' | 'hev1' | 'mp4v' | ... */
  fourcc: string;
  width: number;
  height: number;
  /** Media timescale (ticks per second) of the video track, the unit of tfdt times. */
  timescale: number;
  trackId: number;
  /** trex default_sample_flags for the video track; null when the moov has no mvex. */
  defaultSampleFlags: number | null;
}

/** A box bigger than this is not a video frame: the stream is corrupt or not MP4 at all. */
export const MAX_BOX_BYTES = 64 * 1024 * 1024;

const HEADER_BYTES = 8;
const LARGE_HEADER_BYTES = 16;

/**
 * Cuts a byte stream into top-level boxes. A pipe hands over bytes in arbitrary pieces, so a box
 * may span many chunks and a chunk may hold many boxes. Chunks are kept as a list and joined
 * once per box, so feeding one byte at a time stays linear.
 */
export class Mp4BoxSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the box being collected, once its header has arrived. */
  private boxSize: number | null = null;
  private boxType = '';

  constructor(private readonly maxBoxBytes = MAX_BOX_BYTES) {}

  /** Bytes held back, waiting for the rest of their box. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Adds bytes; returns the boxes they complete, in stream order.
   * Throws when a header cannot belong to a sane stream; the splitter is then out of step with
   * the bytes and must be reset() before it is fed again.
   */
  push(chunk: Buffer): Mp4Box[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const boxes: Mp4Box[] = [];
    for (;;) {
      if (this.boxSize === null && !this.readHeader()) return boxes;
      if (this.boxSize === null || this.buffered < this.boxSize) return boxes;
      boxes.push({ type: this.boxType, data: this.take(this.boxSize) });
      this.boxSize = null;
    }
  }

  /** Forgets everything buffered, e.g. before reading a restarted stream. */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.boxSize = null;
    this.boxType = '';
  }

  /** Reads the next box header if enough bytes are here; false when more are needed. */
  private readHeader(): boolean {
    if (this.buffered < HEADER_BYTES) return false;
    const head = this.peek(Math.min(LARGE_HEADER_BYTES, this.buffered));
    const type = head.toString('latin1', 4, 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      throw new Error(`fMP4: box type is not four printable characters (bytes ${head.subarray(4, 8).toString('hex')})`);
    }
    const size32 = head.readUInt32BE(0);
    let size: number;
    if (size32 === 1) {
      // 64-bit largesize follows the type.
      if (head.length < LARGE_HEADER_BYTES) return false;
      const large = head.readBigUInt64BE(8);
      if (large > BigInt(this.maxBoxBytes)) throw tooLarge(type, large.toString(), this.maxBoxBytes);
      size = Number(large);
      if (size < LARGE_HEADER_BYTES) throw new Error(`fMP4: '${type}' box largesize ${size} is smaller than its header`);
    } else if (size32 === 0) {
      // Legal only for the last box of a file: a live pipe has no end to measure it against.
      throw new Error(`fMP4: '${type}' box has size 0 (runs to end of file), which a live stream cannot have`);
    } else {
      if (size32 < HEADER_BYTES) throw new Error(`fMP4: '${type}' box size ${size32} is smaller than its header`);
      if (size32 > this.maxBoxBytes) throw tooLarge(type, String(size32), this.maxBoxBytes);
      size = size32;
    }
    this.boxSize = size;
    this.boxType = type;
    return true;
  }

  /** The first n buffered bytes, without consuming them (n is at most a header's length). */
  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const parts: Buffer[] = [];
    let have = 0;
    for (const chunk of this.chunks) {
      if (have >= n) break;
      parts.push(chunk);
      have += chunk.length;
    }
    return Buffer.concat(parts, have).subarray(0, n);
  }

  /** Removes and returns the first n buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      // The common case when chunks are larger than frames: no copy.
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let used = 0;
    while (filled < n) {
      const chunk = this.chunks[used];
      if (!chunk) throw new Error('fMP4: splitter buffer underrun'); // unreachable while buffered is right
      const wanted = n - filled;
      if (chunk.length <= wanted) {
        chunk.copy(out, filled);
        filled += chunk.length;
        used += 1;
      } else {
        chunk.copy(out, filled, 0, wanted);
        this.chunks[used] = chunk.subarray(wanted);
        filled = n;
      }
    }
    this.chunks.splice(0, used);
    this.buffered -= n;
    return out;
  }
}

function tooLarge(type: string, size: string, limit: number): Error {
  return new Error(`fMP4: '${type}' box claims ${size} bytes, more than the ${limit}-byte limit: corrupt stream`);
}

// ---- Reading inside boxes ------------------------------------------------------------------

/** A box found inside another: its type and its payload (after the header). */
interface BoxView {
  type: string;
  body: Buffer;
}

/** The boxes laid end to end in `bytes`; throws if one overruns its container. */
function childBoxes(bytes: Buffer, where: string): BoxView[] {
  const boxes: BoxView[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const size32 = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let headerBytes = HEADER_BYTES;
    let size = size32;
    if (size32 === 1) {
      if (at + LARGE_HEADER_BYTES > bytes.length) throw malformed(where, `'${type}' box has a truncated largesize`);
      size = Number(bytes.readBigUInt64BE(at + 8));
      headerBytes = LARGE_HEADER_BYTES;
    } else if (size32 === 0) {
      size = bytes.length - at; // runs to the end of its container
    }
    if (size < headerBytes || at + size > bytes.length) {
      throw malformed(where, `'${type}' box of ${size} bytes does not fit in ${bytes.length - at} remaining`);
    }
    boxes.push({ type, body: bytes.subarray(at + headerBytes, at + size) });
    at += size;
  }
  return boxes;
}

function child(parent: BoxView, type: string): BoxView | undefined {
  return childBoxes(parent.body, parent.type).find((box) => box.type === type);
}

function requireChild(parent: BoxView, type: string): BoxView {
  const found = child(parent, type);
  if (!found) throw malformed(parent.type, `no '${type}' box`);
  return found;
}

/** Checks that a full box's fields up to `end` are present before they are read. */
function requireBytes(box: BoxView, end: number): void {
  if (box.body.length < end) throw malformed(box.type, `${box.body.length} bytes, fields need ${end}`);
}

function malformed(where: string, what: string): Error {
  return new Error(`fMP4: malformed '${where}': ${what}`);
}

/** FullBox header: version byte and 24-bit flags. */
function fullBoxHeader(box: BoxView): { version: number; flags: number } {
  requireBytes(box, 4);
  return { version: box.body.readUInt8(0), flags: box.body.readUIntBE(1, 3) };
}

// ---- Init segment ----------------------------------------------------------------------------

// VisualSampleEntry: 8 bytes of SampleEntry, 16 reserved/pre-defined, then width and height;
// its child boxes (avcC, hvcC, btrt...) start after the 78-byte fixed part.
const VISUAL_ENTRY_WIDTH_AT = 24;
const VISUAL_ENTRY_CHILDREN_AT = 78;

/** Reads codec, size and timing of the video track from an init segment (ftyp + moov, or moov). */
export function parseInitSegment(ftypAndMoov: Buffer): InitInfo {
  const moov = childBoxes(ftypAndMoov, 'init segment').find((box) => box.type === 'moov');
  if (!moov) throw new Error('fMP4: init segment has no moov box');
  const track = childBoxes(moov.body, 'moov')
    .filter((box) => box.type === 'trak')
    .find((trak) => handlerType(trak) === 'vide');
  if (!track) throw new Error('fMP4: moov has no video track');

  const trackId = readTrackId(requireChild(track, 'tkhd'));
  const mdia = requireChild(track, 'mdia');
  const timescale = readTimescale(requireChild(mdia, 'mdhd'));
  const stsd = requireChild(requireChild(requireChild(mdia, 'minf'), 'stbl'), 'stsd');
  requireBytes(stsd, 8);
  const entries = childBoxes(stsd.body.subarray(8), 'stsd');
  const entry = entries[0];
  if (!entry) throw malformed('stsd', 'no sample entry');
  requireBytes(entry, VISUAL_ENTRY_CHILDREN_AT);
  const width = entry.body.readUInt16BE(VISUAL_ENTRY_WIDTH_AT);
  const height = entry.body.readUInt16BE(VISUAL_ENTRY_WIDTH_AT + 2);
  const codecBoxes: BoxView = { type: entry.type, body: entry.body.subarray(VISUAL_ENTRY_CHILDREN_AT) };

  return {
    codec: codecString(entry.type, codecBoxes),
    fourcc: entry.type,
    width,
    height,
    timescale,
    trackId,
    defaultSampleFlags: trexDefaultSampleFlags(moov, trackId),
  };
}

function handlerType(trak: BoxView): string | null {
  const mdia = child(trak, 'mdia');
  const hdlr = mdia && child(mdia, 'hdlr');
  if (!hdlr || hdlr.body.length < 12) return null;
  // version/flags (4), pre_defined (4), handler_type (4)
  return hdlr.body.toString('latin1', 8, 12);
}

function readTrackId(tkhd: BoxView): number {
  // After version/flags: creation and modification times, 32 or 64 bits each by version.
  const at = fullBoxHeader(tkhd).version === 1 ? 20 : 12;
  requireBytes(tkhd, at + 4);
  return tkhd.body.readUInt32BE(at);
}

function readTimescale(mdhd: BoxView): number {
  const at = fullBoxHeader(mdhd).version === 1 ? 20 : 12;
  requireBytes(mdhd, at + 4);
  return mdhd.body.readUInt32BE(at);
}

function trexDefaultSampleFlags(moov: BoxView, trackId: number): number | null {
  const mvex = child(moov, 'mvex');
  if (!mvex) return null;
  for (const trex of childBoxes(mvex.body, 'mvex')) {
    // version/flags, track_ID, default_sample_description_index, _duration, _size, _flags
    if (trex.type !== 'trex' || trex.body.length < 24) continue;
    if (trex.body.readUInt32BE(4) === trackId) return trex.body.readUInt32BE(20);
  }
  return null;
}

function codecString(fourcc: string, entryChildren: BoxView): string {
  switch (fourcc) {
    case 'avc1':
    case 'avc2':
    case 'avc3':
    case 'avc4':
      return `${fourcc}.${avcCodecSuffix(requireChild(entryChildren, 'avcC'))}`;
    case 'hvc1':
    case 'hev1':
      return `${fourcc}.${hevcCodecSuffix(requireChild(entryChildren, 'hvcC'))}`;
    default:
      // No parameters known for this format: the bare fourcc lets MSE answer "unsupported".
      return fourcc;
  }
}

/** 'PPCCLL': profile_idc, constraint flags, level_idc from AVCDecoderConfigurationRecord. */
function avcCodecSuffix(avcC: BoxView): string {
  requireBytes(avcC, 4);
  const hex = (at: number) => avcC.body.readUInt8(at).toString(16).padStart(2, '0');
  return `${hex(1)}${hex(2)}${hex(3)}`;
}

/**
 * 14496-15 Annex E form from HEVCDecoderConfigurationRecord:
 * [space letter]profile_idc . compatibility flags (bit-reversed, hex) . L|H level_idc
 * . constraint bytes (hex, trailing zero bytes dropped), e.g. '1.6.L93.B0'.
 */
function hevcCodecSuffix(hvcC: BoxView): string {
  requireBytes(hvcC, 13);
  const b = hvcC.body;
  const profileSpace = b.readUInt8(1) >> 6;
  const tierHigh = (b.readUInt8(1) >> 5) & 1;
  const profileIdc = b.readUInt8(1) & 0x1f;
  const compatibility = reverseBits32(b.readUInt32BE(2));
  const constraints = [...b.subarray(6, 12)];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = b.readUInt8(12);
  const parts = [
    `${['', 'A', 'B', 'C'][profileSpace] ?? ''}${profileIdc}`,
    compatibility.toString(16).toUpperCase(),
    `${tierHigh ? 'H' : 'L'}${level}`,
    ...constraints.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')),
  ];
  return parts.join('.');
}

function reverseBits32(value: number): number {
  let out = 0;
  for (let bit = 0; bit < 32; bit += 1) out = (out << 1) | ((value >>> bit) & 1);
  return out >>> 0;
}

// ---- Fragments -------------------------------------------------------------------------------

/** sample_is_non_sync_sample in the 32-bit sample flags word. */
const SAMPLE_IS_NON_SYNC = 0x10000;

// tfhd optional fields, in the order they are stored after track_ID.
const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
const TFHD_DEFAULT_DURATION = 0x8;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;

// trun optional fields: two before the samples, then up to four per sample.
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_SAMPLE_DURATION = 0x100;
const TRUN_SAMPLE_SIZE = 0x200;
const TRUN_SAMPLE_FLAGS = 0x400;

/** The first track fragment of a moof box (FFmpeg writes one per track; the hub relays one). */
function firstTraf(moof: Buffer): BoxView | undefined {
  const top = childBoxes(moof, 'fragment')[0];
  if (!top || top.type !== 'moof') throw new Error(`fMP4: expected a moof box, got '${top?.type ?? 'nothing'}'`);
  return child(top, 'traf');
}

/**
 * Whether the fragment's first sample is a sync sample (a keyframe a decoder can start from).
 * Sample flags are looked up as the spec orders them: trun first_sample_flags, then the trun's
 * own per-sample flags, then tfhd default_sample_flags, then the trex default from the init
 * segment. With none of them, the ISO default of zero (a sync sample) applies.
 */
export function fragmentIsKeyframe(moof: Buffer, defaultSampleFlags: number | null): boolean {
  const traf = firstTraf(moof);
  if (!traf) return false;
  const trun = child(traf, 'trun');
  if (!trun || trunSampleCount(trun) === 0) return false; // no samples at all
  const flags = firstSampleFlagsFromTrun(trun) ?? tfhdDefaultSampleFlags(traf) ?? defaultSampleFlags ?? 0;
  return (flags & SAMPLE_IS_NON_SYNC) === 0;
}

function trunSampleCount(trun: BoxView): number {
  requireBytes(trun, 8);
  return trun.body.readUInt32BE(4);
}

/** The first sample's flags as the trun states them, or null when the trun leaves them out. */
function firstSampleFlagsFromTrun(trun: BoxView): number | null {
  const { flags } = fullBoxHeader(trun);
  let at = 8; // version/flags, sample_count
  if (flags & TRUN_DATA_OFFSET) at += 4;
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) {
    requireBytes(trun, at + 4);
    return trun.body.readUInt32BE(at);
  }
  if (!(flags & TRUN_SAMPLE_FLAGS)) return null;
  if (flags & TRUN_SAMPLE_DURATION) at += 4;
  if (flags & TRUN_SAMPLE_SIZE) at += 4;
  requireBytes(trun, at + 4);
  return trun.body.readUInt32BE(at);
}

function tfhdDefaultSampleFlags(traf: BoxView): number | null {
  const tfhd = child(traf, 'tfhd');
  if (!tfhd) return null;
  const { flags } = fullBoxHeader(tfhd);
  if (!(flags & TFHD_DEFAULT_FLAGS)) return null;
  let at = 8; // version/flags, track_ID
  if (flags & TFHD_BASE_DATA_OFFSET) at += 8;
  if (flags & TFHD_SAMPLE_DESCRIPTION_INDEX) at += 4;
  if (flags & TFHD_DEFAULT_DURATION) at += 4;
  if (flags & TFHD_DEFAULT_SIZE) at += 4;
  requireBytes(tfhd, at + 4);
  return tfhd.body.readUInt32BE(at);
}

/** The tfdt baseMediaDecodeTime of the first track fragment (in timescale ticks), or null. */
export function fragmentBaseDecodeTime(moof: Buffer): number | null {
  const traf = firstTraf(moof);
  const tfdt = traf && child(traf, 'tfdt');
  if (!tfdt) return null;
  if (fullBoxHeader(tfdt).version === 1) {
    requireBytes(tfdt, 12);
    return Number(tfdt.body.readBigUInt64BE(4));
  }
  requireBytes(tfdt, 8);
  return tfdt.body.readUInt32BE(4);
}
