// Cuts FFmpeg's image2pipe PNM output (P6 = RGB24, P5 = grey8) into whole pictures. Each
// picture carries its own header, so a camera whose resolution changes needs no restart.
// A pipe delivers arbitrary chunks; this keeps at most one picture's bytes pending.

export interface RawFrame {
  width: number;
  height: number;
  /** 3 for RGB24 (P6), 1 for grey (P5). */
  channels: 1 | 3;
  data: Uint8Array;
  /** Engine wall-clock ms when the picture's last byte arrived. */
  at: number;
}

const MAX_SIDE = 8192;
const MAX_HEADER = 64;

export class PnmFrameSplitter {
  private header = '';
  private frame: RawFrame | null = null;
  private filled = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Returns the pictures completed by this chunk; throws on a stream that is not PNM. */
  push(chunk: Uint8Array): RawFrame[] {
    const done: RawFrame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.frame) {
        at = this.readHeader(chunk, at);
        continue;
      }
      const take = Math.min(chunk.length - at, this.frame.data.length - this.filled);
      this.frame.data.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.frame.data.length) {
        this.frame.at = this.now();
        done.push(this.frame);
        this.frame = null;
        this.filled = 0;
      }
    }
    return done;
  }

  /** Header: "P6\n<w> <h>\n255\n" (FFmpeg writes exactly this form). */
  private readHeader(chunk: Uint8Array, from: number): number {
    let at = from;
    while (at < chunk.length) {
      this.header += String.fromCharCode(chunk[at++]!);
      const match = /^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(this.header);
      if (match) {
        const [, magic, w, h, max] = match;
        const width = Number(w);
        const height = Number(h);
        if (max !== '255' || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) throw new Error(`unusable PNM picture header ${JSON.stringify(this.header)}`);
        const channels = magic === 'P6' ? 3 : 1;
        this.frame = { width, height, channels, data: new Uint8Array(width * height * channels), at: 0 };
        this.header = '';
        return at;
      }
      const badMagic = this.header[0] !== 'P' || (this.header.length > 1 && this.header[1] !== '5' && this.header[1] !== '6');
      if (this.header.length > MAX_HEADER || badMagic) throw new Error(`not a PNM picture stream (starts ${JSON.stringify(this.header.slice(0, 8))})`);
    }
    return at;
  }

  reset(): void {
    this.header = '';
    this.frame = null;
    this.filled = 0;
  }
}
