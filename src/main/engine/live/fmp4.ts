// Cuts FFmpeg's fragmented MP4, as it arrives from a pipe, into top-level boxes for relaying
// to browsers. What is read inside the boxes (init segment, keyframes, decode times) lives in
// src/shared/fmp4.ts, which the player uses too; it is re-exported here for engine-side callers.
// Box headers follow ISO/IEC 14496-12.
import { BOX_HEADER_BYTES, LARGE_BOX_HEADER_BYTES } from '../../../shared/fmp4';

export { fragmentBaseDecodeTime, fragmentIsKeyframe, parseInitSegment, type InitInfo } from '../../../shared/fmp4';

/** One complete top-level box; `data` is the whole box, header included. */
export interface Mp4Box {
  type: string;
  data: Buffer;
}

/** A box bigger than this is not a video frame: the stream is corrupt or not MP4 at all. */
export const MAX_BOX_BYTES = 64 * 1024 * 1024;

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
    if (this.buffered < BOX_HEADER_BYTES) return false;
    const head = this.peek(Math.min(LARGE_BOX_HEADER_BYTES, this.buffered));
    const type = head.toString('latin1', 4, 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      throw new Error(`fMP4: box type is not four printable characters (bytes ${head.subarray(4, 8).toString('hex')})`);
    }
    const size32 = head.readUInt32BE(0);
    let size: number;
    if (size32 === 1) {
      // 64-bit largesize follows the type.
      if (head.length < LARGE_BOX_HEADER_BYTES) return false;
      const large = head.readBigUInt64BE(8);
      if (large > BigInt(this.maxBoxBytes)) throw tooLarge(type, large.toString(), this.maxBoxBytes);
      size = Number(large);
      if (size < LARGE_BOX_HEADER_BYTES) throw new Error(`fMP4: '${type}' box largesize ${size} is smaller than its header`);
    } else if (size32 === 0) {
      // Legal only for the last box of a file: a live pipe has no end to measure it against.
      throw new Error(`fMP4: '${type}' box has size 0 (runs to end of file), which a live stream cannot have`);
    } else {
      if (size32 < BOX_HEADER_BYTES) throw new Error(`fMP4: '${type}' box size ${size32} is smaller than its header`);
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
