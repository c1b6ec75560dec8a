// A finished export folder as one ZIP download, streamed: an export holds hours of video, so
// no file is ever read whole into memory, and nothing is written to disk first.
//
// STORE only (no compression): the video is already compressed, and stored bytes keep every
// file byte-identical to the signed folder, so the recipient can verify after unzipping.
// Sizes are known before the first byte goes out (the folder is final), so the whole layout
// is planned up front and the HTTP response carries an exact Content-Length. Each entry's CRC
// is only known after streaming it, so it follows the data in a data descriptor (flag bit 3).
// ZIP64 records are written where a size or an offset reaches 4 GiB, or there are 65535+ files.
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { crc32 } from 'node:zlib';

export interface ZipSource {
  /** The name inside the archive: forward slashes, relative, UTF-8. */
  name: string;
  path: string;
  size: number;
  mtime: Date;
}

interface PlannedEntry extends ZipSource {
  nameBytes: Buffer;
  offset: number;
  zip64: boolean;
}

export interface ZipPlan {
  entries: PlannedEntry[];
  /** The archive's exact length in bytes. */
  totalBytes: number;
  centralOffset: number;
  centralSize: number;
  zip64End: boolean;
  forceZip64: boolean;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const ZIP64_END_RECORD = 56;
const ZIP64_LOCATOR = 20;
/** Bit 3: CRC and sizes follow the data; bit 11: names are UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const UNIX_FILE = (0o100644 << 16) >>> 0;

export interface ZipOptions {
  /** Write ZIP64 records for every entry and the end: for tests, which cannot make 4 GiB files quickly. */
  forceZip64?: boolean;
}

export function planZip(sources: readonly ZipSource[], options: ZipOptions = {}): ZipPlan {
  const force = options.forceZip64 === true;
  let offset = 0;
  let centralSize = 0;
  const entries = sources.map((source) => {
    const nameBytes = Buffer.from(source.name, 'utf8');
    if (nameBytes.length > MAX16) throw new Error(`zip: name too long: ${source.name.slice(0, 80)}…`);
    const zip64 = force || source.size >= MAX32 || offset >= MAX32;
    const entry: PlannedEntry = { ...source, nameBytes, offset, zip64 };
    offset += LOCAL_HEADER + nameBytes.length + (zip64 ? 20 : 0) + source.size + (zip64 ? 24 : 16);
    centralSize += CENTRAL_HEADER + nameBytes.length + centralExtra(entry, force).length;
    return entry;
  });
  const centralOffset = offset;
  const zip64End = force || entries.length >= MAX16 || centralOffset >= MAX32 || centralSize >= MAX32;
  const totalBytes = centralOffset + centralSize + (zip64End ? ZIP64_END_RECORD + ZIP64_LOCATOR : 0) + END_RECORD;
  return { entries, totalBytes, centralOffset, centralSize, zip64End, forceZip64: force };
}

/**
 * Streams the archive into `out`, waiting for it to drain (a slow download holds a 1 MiB chunk,
 * not the file). A file whose size differs from the plan fails the stream: the archive would
 * not match its own directory.
 */
export async function writeZip(plan: ZipPlan, out: Writable): Promise<void> {
  const sink = new Sink(out);
  const crcs: number[] = [];
  for (const entry of plan.entries) {
    await sink.write(localHeader(entry));
    let crc = 0;
    let size = 0;
    for await (const chunk of createReadStream(entry.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > entry.size) break;
      await sink.write(chunk);
    }
    if (size !== entry.size) throw new Error(`zip: ${entry.name} is ${size > entry.size ? 'larger' : 'smaller'} than when the archive was planned (${entry.size} bytes)`);
    crcs.push(crc);
    await sink.write(dataDescriptor(entry, crc));
  }
  for (const [i, entry] of plan.entries.entries()) await sink.write(centralHeader(entry, crcs[i]!, plan.forceZip64));
  if (plan.zip64End) {
    const endOffset = plan.centralOffset + plan.centralSize;
    await sink.write(zip64EndRecord(plan));
    await sink.write(zip64Locator(endOffset));
  }
  await sink.write(endRecord(plan));
  if (sink.written !== plan.totalBytes) throw new Error(`zip: wrote ${sink.written} bytes, planned ${plan.totalBytes}`);
}

function localHeader(entry: PlannedEntry): Buffer {
  const extra = entry.zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
  const header = Buffer.alloc(LOCAL_HEADER);
  const { time, date } = dosTime(entry.mtime);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  header.writeUInt16LE(FLAGS, 6);
  header.writeUInt16LE(0, 8); // STORE
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  // CRC 0, sizes 0 (or the ZIP64 marker): with bit 3 they follow the data.
  header.writeUInt32LE(0, 14);
  header.writeUInt32LE(entry.zip64 ? MAX32 : 0, 18);
  header.writeUInt32LE(entry.zip64 ? MAX32 : 0, 22);
  header.writeUInt16LE(entry.nameBytes.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.nameBytes, extra]);
}

function dataDescriptor(entry: PlannedEntry, crc: number): Buffer {
  const out = Buffer.alloc(entry.zip64 ? 24 : 16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(crc >>> 0, 4);
  if (entry.zip64) {
    out.writeBigUInt64LE(BigInt(entry.size), 8);
    out.writeBigUInt64LE(BigInt(entry.size), 16);
  } else {
    out.writeUInt32LE(entry.size, 8);
    out.writeUInt32LE(entry.size, 12);
  }
  return out;
}

/** The ZIP64 extra of a central header: sizes for a ZIP64 entry, the offset when it overflows. */
function centralExtra(entry: PlannedEntry, force: boolean): Buffer {
  if (!entry.zip64) return Buffer.alloc(0);
  const values = [entry.size, entry.size];
  if (force || entry.offset >= MAX32) values.push(entry.offset);
  return zip64Extra(values);
}

function centralHeader(entry: PlannedEntry, crc: number, force: boolean): Buffer {
  const extra = centralExtra(entry, force);
  const offsetInExtra = entry.zip64 && (force || entry.offset >= MAX32);
  const header = Buffer.alloc(CENTRAL_HEADER);
  const { time, date } = dosTime(entry.mtime);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(time, 12);
  header.writeUInt16LE(date, 14);
  header.writeUInt32LE(crc >>> 0, 16);
  header.writeUInt32LE(entry.zip64 ? MAX32 : entry.size, 20);
  header.writeUInt32LE(entry.zip64 ? MAX32 : entry.size, 24);
  header.writeUInt16LE(entry.nameBytes.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt16LE(0, 32); // comment
  header.writeUInt16LE(0, 34); // disk
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(UNIX_FILE, 38);
  header.writeUInt32LE(offsetInExtra ? MAX32 : entry.offset, 42);
  return Buffer.concat([header, entry.nameBytes, extra]);
}

function zip64Extra(values: readonly number[]): Buffer {
  const out = Buffer.alloc(4 + values.length * 8);
  out.writeUInt16LE(0x0001, 0);
  out.writeUInt16LE(values.length * 8, 2);
  values.forEach((value, i) => out.writeBigUInt64LE(BigInt(value), 4 + i * 8));
  return out;
}

function zip64EndRecord(plan: ZipPlan): Buffer {
  const out = Buffer.alloc(ZIP64_END_RECORD);
  out.writeUInt32LE(0x06064b50, 0);
  out.writeBigUInt64LE(BigInt(ZIP64_END_RECORD - 12), 4);
  out.writeUInt16LE((3 << 8) | 45, 12);
  out.writeUInt16LE(45, 14);
  out.writeUInt32LE(0, 16);
  out.writeUInt32LE(0, 20);
  out.writeBigUInt64LE(BigInt(plan.entries.length), 24);
  out.writeBigUInt64LE(BigInt(plan.entries.length), 32);
  out.writeBigUInt64LE(BigInt(plan.centralSize), 40);
  out.writeBigUInt64LE(BigInt(plan.centralOffset), 48);
  return out;
}

function zip64Locator(endRecordOffset: number): Buffer {
  const out = Buffer.alloc(ZIP64_LOCATOR);
  out.writeUInt32LE(0x07064b50, 0);
  out.writeUInt32LE(0, 4);
  out.writeBigUInt64LE(BigInt(endRecordOffset), 8);
  out.writeUInt32LE(1, 16);
  return out;
}

function endRecord(plan: ZipPlan): Buffer {
  const out = Buffer.alloc(END_RECORD);
  const count = plan.zip64End ? MAX16 : plan.entries.length;
  out.writeUInt32LE(0x06054b50, 0);
  out.writeUInt16LE(0, 4);
  out.writeUInt16LE(0, 6);
  out.writeUInt16LE(count, 8);
  out.writeUInt16LE(count, 10);
  out.writeUInt32LE(plan.zip64End ? MAX32 : plan.centralSize, 12);
  out.writeUInt32LE(plan.zip64End ? MAX32 : plan.centralOffset, 16);
  out.writeUInt16LE(0, 20);
  return out;
}

/** MS-DOS date and time (local, 2 s steps), which every unzip shows; 1980 is the earliest it holds. */
function dosTime(at: Date): { time: number; date: number } {
  const year = at.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((Math.min(year, 2107) - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}

/** Writes with backpressure, and fails instead of waiting forever when the reader went away. */
class Sink {
  written = 0;

  constructor(private readonly out: Writable) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded) throw new Error('zip: the download was closed');
    this.written += chunk.length;
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        this.out.off('drain', onDrain);
        this.out.off('close', onClose);
        this.out.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('zip: the download was closed'));
      this.out.on('drain', onDrain);
      this.out.on('close', onClose);
      this.out.on('error', done);
    });
  }
}
