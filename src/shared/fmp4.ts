// Just enough ISO BMFF (MP4) to play FFmpeg's fragmented MP4 live: read the init segment (codec
// string for MSE, picture size, timing), tell whether a fragment starts with a keyframe (where a
// late viewer may join), and read a fragment's decode time. The engine relays with it, the
// player reads timing with it; both see the same bytes, so they read them the same way.
// Layouts follow ISO/IEC 14496-12 (boxes) and 14496-15 (avcC, hvcC); codec strings follow
// RFC 6381 and 14496-15 Annex E, the forms MediaSource.isTypeSupported() accepts.
// Plain Uint8Array + DataView, so it runs under Node (a Buffer is a Uint8Array) and in a browser.

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

/** Size and type of a box header; with size 1, a 64-bit largesize follows the type. */
export const BOX_HEADER_BYTES = 8;
export const LARGE_BOX_HEADER_BYTES = 16;

/** The MIME type with codecs for MediaSource, e.g. 'video/mp4; codecs="avc1.64001f"'. */
export function liveMime(init: InitInfo): string {
  return `video/mp4; codecs="${init.codec}"`;
}

/** An init segment starts with `ftyp` or `moov`; media fragments with `moof` (or `styp`). */
export function isInitSegment(bytes: Uint8Array): boolean {
  if (bytes.length < BOX_HEADER_BYTES) return false;
  const type = fourccAt(bytes, 4);
  return type === 'ftyp' || type === 'moov';
}

// ---- Reading inside boxes ------------------------------------------------------------------

/** A box found inside another: its type and its payload (after the header). */
interface BoxView {
  type: string;
  body: Uint8Array;
  /** Big-endian reads over `body`. */
  view: DataView;
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Four bytes as Latin-1 characters: a box type, a handler type, a brand. */
function fourccAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function boxView(type: string, body: Uint8Array): BoxView {
  return { type, body, view: dataView(body) };
}

/** The boxes laid end to end in `bytes`; throws if one overruns its container. */
function childBoxes(bytes: Uint8Array, where: string): BoxView[] {
  const view = dataView(bytes);
  const boxes: BoxView[] = [];
  let at = 0;
  while (at + BOX_HEADER_BYTES <= bytes.length) {
    const size32 = view.getUint32(at);
    const type = fourccAt(bytes, at + 4);
    let headerBytes = BOX_HEADER_BYTES;
    let size = size32;
    if (size32 === 1) {
      if (at + LARGE_BOX_HEADER_BYTES > bytes.length) throw malformed(where, `'${type}' box has a truncated largesize`);
      size = Number(view.getBigUint64(at + 8));
      headerBytes = LARGE_BOX_HEADER_BYTES;
    } else if (size32 === 0) {
      size = bytes.length - at; // runs to the end of its container
    }
    if (size < headerBytes || at + size > bytes.length) {
      throw malformed(where, `'${type}' box of ${size} bytes does not fit in ${bytes.length - at} remaining`);
    }
    boxes.push(boxView(type, bytes.subarray(at + headerBytes, at + size)));
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
  return { version: box.view.getUint8(0), flags: (box.view.getUint8(1) << 16) | box.view.getUint16(2) };
}

// ---- Init segment ----------------------------------------------------------------------------

// VisualSampleEntry: 8 bytes of SampleEntry, 16 reserved/pre-defined, then width and height;
// its child boxes (avcC, hvcC, btrt...) start after the 78-byte fixed part.
const VISUAL_ENTRY_WIDTH_AT = 24;
const VISUAL_ENTRY_CHILDREN_AT = 78;

/** Reads codec, size and timing of the video track from an init segment (ftyp + moov, or moov). */
export function parseInitSegment(bytes: Uint8Array): InitInfo {
  const moov = childBoxes(bytes, 'init segment').find((box) => box.type === 'moov');
  if (!moov) throw new Error('fMP4: init segment has no moov box');
  const track = childBoxes(moov.body, 'moov')
    .filter((box) => box.type === 'trak')
    .find((trak) => handlerType(trak) === 'vide');
  if (!track) throw new Error('fMP4: moov has no video track');

  const trackId = fieldAfterTimes(requireChild(track, 'tkhd'));
  const mdia = requireChild(track, 'mdia');
  const timescale = fieldAfterTimes(requireChild(mdia, 'mdhd'));
  const stsd = requireChild(requireChild(requireChild(mdia, 'minf'), 'stbl'), 'stsd');
  requireBytes(stsd, 8);
  const entries = childBoxes(stsd.body.subarray(8), 'stsd');
  const entry = entries[0];
  if (!entry) throw malformed('stsd', 'no sample entry');
  requireBytes(entry, VISUAL_ENTRY_CHILDREN_AT);
  const width = entry.view.getUint16(VISUAL_ENTRY_WIDTH_AT);
  const height = entry.view.getUint16(VISUAL_ENTRY_WIDTH_AT + 2);
  const codecBoxes = boxView(entry.type, entry.body.subarray(VISUAL_ENTRY_CHILDREN_AT));

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
  return fourccAt(hdlr.body, 8);
}

/** tkhd track_ID and mdhd timescale: the 32-bit field right after the two times. */
function fieldAfterTimes(box: BoxView): number {
  // After version/flags: creation and modification times, 32 or 64 bits each by version.
  const at = fullBoxHeader(box).version === 1 ? 20 : 12;
  requireBytes(box, at + 4);
  return box.view.getUint32(at);
}

function trexDefaultSampleFlags(moov: BoxView, trackId: number): number | null {
  const mvex = child(moov, 'mvex');
  if (!mvex) return null;
  for (const trex of childBoxes(mvex.body, 'mvex')) {
    // version/flags, track_ID, default_sample_description_index, _duration, _size, _flags
    if (trex.type !== 'trex' || trex.body.length < 24) continue;
    if (trex.view.getUint32(4) === trackId) return trex.view.getUint32(20);
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
  const hex = (at: number) => avcC.view.getUint8(at).toString(16).padStart(2, '0');
  return `${hex(1)}${hex(2)}${hex(3)}`;
}

/**
 * 14496-15 Annex E form from HEVCDecoderConfigurationRecord:
 * [space letter]profile_idc . compatibility flags (bit-reversed, hex) . L|H level_idc
 * . constraint bytes (hex, trailing zero bytes dropped), e.g. '1.6.L93.B0'.
 */
function hevcCodecSuffix(hvcC: BoxView): string {
  requireBytes(hvcC, 13);
  const v = hvcC.view;
  const profileSpace = v.getUint8(1) >> 6;
  const tierHigh = (v.getUint8(1) >> 5) & 1;
  const profileIdc = v.getUint8(1) & 0x1f;
  const compatibility = reverseBits32(v.getUint32(2));
  const constraints = [...hvcC.body.subarray(6, 12)];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = v.getUint8(12);
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

/**
 * The first track fragment of a moof box (FFmpeg writes one per track; the hub relays one).
 * `moof` may be followed by its mdat, as in a relayed fragment.
 */
function firstTraf(moof: Uint8Array): BoxView | undefined {
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
export function fragmentIsKeyframe(moof: Uint8Array, defaultSampleFlags: number | null): boolean {
  const traf = firstTraf(moof);
  if (!traf) return false;
  const trun = child(traf, 'trun');
  if (!trun || trunSampleCount(trun) === 0) return false; // no samples at all
  const flags = firstSampleFlagsFromTrun(trun) ?? tfhdDefaultSampleFlags(traf) ?? defaultSampleFlags ?? 0;
  return (flags & SAMPLE_IS_NON_SYNC) === 0;
}

function trunSampleCount(trun: BoxView): number {
  requireBytes(trun, 8);
  return trun.view.getUint32(4);
}

/** The first sample's flags as the trun states them, or null when the trun leaves them out. */
function firstSampleFlagsFromTrun(trun: BoxView): number | null {
  const { flags } = fullBoxHeader(trun);
  let at = 8; // version/flags, sample_count
  if (flags & TRUN_DATA_OFFSET) at += 4;
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) {
    requireBytes(trun, at + 4);
    return trun.view.getUint32(at);
  }
  if (!(flags & TRUN_SAMPLE_FLAGS)) return null;
  if (flags & TRUN_SAMPLE_DURATION) at += 4;
  if (flags & TRUN_SAMPLE_SIZE) at += 4;
  requireBytes(trun, at + 4);
  return trun.view.getUint32(at);
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
  return tfhd.view.getUint32(at);
}

/**
 * The tfdt baseMediaDecodeTime of the first track fragment (in timescale ticks), or null.
 * Takes a moof alone or a whole fragment (moof + mdat).
 */
export function fragmentBaseDecodeTime(moofOrFragment: Uint8Array): number | null {
  const traf = firstTraf(moofOrFragment);
  const tfdt = traf && child(traf, 'tfdt');
  if (!tfdt) return null;
  if (fullBoxHeader(tfdt).version === 1) {
    requireBytes(tfdt, 12);
    return Number(tfdt.view.getBigUint64(4));
  }
  requireBytes(tfdt, 8);
  return tfdt.view.getUint32(4);
}
