// Just enough ISO-BMFF reading for the live player: is this an init segment, which codec and
// timescale does it declare, and which decode time does a fragment start at. Pure, no DOM.

interface Box {
  type: string;
  /** Offset of the payload (after size/type, and after a 64-bit size when present). */
  start: number;
  end: number;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function readBoxes(view: DataView, start: number, end: number): Box[] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = fourcc(bytes, at + 4);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) break;
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

function child(view: DataView, parent: Box | null, type: string): Box | null {
  if (!parent) return null;
  return readBoxes(view, parent.start, parent.end).find((b) => b.type === type) ?? null;
}

function top(view: DataView, type: string): Box | null {
  return readBoxes(view, 0, view.byteLength).find((b) => b.type === type) ?? null;
}

function asView(data: ArrayBuffer | Uint8Array): DataView {
  return data instanceof Uint8Array ? new DataView(data.buffer, data.byteOffset, data.byteLength) : new DataView(data);
}

/** An init segment starts with `ftyp` or `moov`; media fragments with `moof` (or `styp`). */
export function isInitSegment(data: ArrayBuffer | Uint8Array): boolean {
  const view = asView(data);
  if (view.byteLength < 8) return false;
  const type = fourcc(new Uint8Array(view.buffer, view.byteOffset, 8), 4);
  return type === 'ftyp' || type === 'moov';
}

function videoTrak(view: DataView): Box | null {
  const moov = top(view, 'moov');
  if (!moov) return null;
  const traks = readBoxes(view, moov.start, moov.end).filter((b) => b.type === 'trak');
  for (const trak of traks) {
    const hdlr = child(view, child(view, trak, 'mdia'), 'hdlr');
    // hdlr: version/flags(4) pre_defined(4) handler_type(4)
    if (hdlr && hdlr.start + 12 <= hdlr.end) {
      const handler = fourcc(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), hdlr.start + 8);
      if (handler === 'vide') return trak;
    }
  }
  return traks[0] ?? null;
}

/** Timescale (ticks per second) of the video track, from `mdhd`. */
export function readTimescale(init: ArrayBuffer | Uint8Array): number | null {
  const view = asView(init);
  const mdhd = child(view, child(view, videoTrak(view), 'mdia'), 'mdhd');
  if (!mdhd) return null;
  const version = view.getUint8(mdhd.start);
  const at = mdhd.start + (version === 1 ? 20 : 12);
  if (at + 4 > mdhd.end) return null;
  const timescale = view.getUint32(at);
  return timescale > 0 ? timescale : null;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * The MIME type with codecs for `MediaSource.isTypeSupported`, read from the sample entry
 * (`avc1`/`avc3` + `avcC`; `hvc1`/`hev1` reported without profile detail). Used only when
 * the engine's LiveHello did not carry one.
 */
export function mimeFromInit(init: ArrayBuffer | Uint8Array): string | null {
  const view = asView(init);
  const stbl = child(view, child(view, child(view, videoTrak(view), 'mdia'), 'minf'), 'stbl');
  const stsd = child(view, stbl, 'stsd');
  if (!stsd) return null;
  // stsd: version/flags(4) entry_count(4), then sample entries.
  const entry = readBoxes(view, stsd.start + 8, stsd.end)[0];
  if (!entry) return null;
  if (entry.type === 'avc1' || entry.type === 'avc3') {
    // VisualSampleEntry payload is 78 bytes before its child boxes.
    const avcC = readBoxes(view, entry.start + 78, entry.end).find((b) => b.type === 'avcC');
    if (!avcC || avcC.start + 4 > avcC.end) return null;
    const profile = view.getUint8(avcC.start + 1);
    const compat = view.getUint8(avcC.start + 2);
    const level = view.getUint8(avcC.start + 3);
    return `video/mp4; codecs="${entry.type}.${hex2(profile)}${hex2(compat)}${hex2(level)}"`;
  }
  if (entry.type === 'hvc1' || entry.type === 'hev1') return `video/mp4; codecs="${entry.type}"`;
  return null;
}

/** Base media decode time of a fragment's first track run, in timescale ticks (`moof/traf/tfdt`). */
export function readDecodeTime(fragment: ArrayBuffer | Uint8Array): number | null {
  const view = asView(fragment);
  const tfdt = child(view, child(view, top(view, 'moof'), 'traf'), 'tfdt');
  if (!tfdt) return null;
  const version = view.getUint8(tfdt.start);
  if (version === 1) return tfdt.start + 12 <= tfdt.end ? Number(view.getBigUint64(tfdt.start + 4)) : null;
  return tfdt.start + 8 <= tfdt.end ? view.getUint32(tfdt.start + 4) : null;
}
