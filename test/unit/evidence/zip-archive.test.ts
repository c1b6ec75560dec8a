// The streaming ZIP writer, read back by the two readers a recipient is likely to use:
// Info-ZIP's `unzip -t` and Python's zipfile (which checks every CRC on read).
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planZip, writeZip, type ZipSource } from '../../../src/main/engine/evidence/zip-archive';

let dir: string;
let sources: ZipSource[];

function source(name: string, content: Buffer): ZipSource {
  const path = join(dir, 'src', name.replace(/\//g, '__'));
  writeFileSync(path, content);
  return { name, path, size: content.length, mtime: new Date(2025, 2, 14, 9, 30, 12) };
}

async function zipTo(file: string, entries: ZipSource[], forceZip64 = false): Promise<number> {
  const plan = planZip(entries, { forceZip64 });
  const out = createWriteStream(file);
  await writeZip(plan, out);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return plan.totalBytes;
}

/** Python's zipfile: names, sizes, a CRC check of every member, and the bytes of each. */
function pythonRead(file: string): { names: string[]; bad: string | null; sha: Record<string, string> } {
  const script = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    print(json.dumps({"names": z.namelist(), "bad": bad, "sha": {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as never;
}

function sha(content: Buffer): string {
  return execFileSync('sha256sum', { input: content, encoding: 'utf8' }).split(' ')[0]!;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-zip-'));
  mkdirSync(join(dir, 'src'));
  const video = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < video.length; i++) video[i] = (i * 31 + (i >> 8)) & 0xff;
  sources = [
    source('export-1/manifest.json', Buffer.from('{"format":"vigil-evidence/1"}\n')),
    source('export-1/video/cam-1.mp4', video),
    source('export-1/snapshots/empty.jpg', Buffer.alloc(0)),
    source('export-1/snapshots/Überwachung ☂.txt', Buffer.from('non-ASCII name\n')),
  ];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zip archive', () => {
  for (const forceZip64 of [false, true]) {
    it(`is read back intact by unzip -t and Python's zipfile${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const file = join(dir, `out-${forceZip64}.zip`);
      const planned = await zipTo(file, sources, forceZip64);
      expect(statSync(file).size).toBe(planned);

      const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(unzip.stdout + unzip.stderr).toContain('No errors detected');
      expect(unzip.status).toBe(0);

      const read = pythonRead(file);
      expect(read.bad).toBeNull();
      expect(read.names).toEqual(sources.map((s) => s.name));
      for (const s of sources) expect(read.sha[s.name]).toBe(sha(readFileSync(s.path)));
    });
  }

  it('plans ZIP64 for entries of 4 GiB and more without reading them', () => {
    const big = { name: 'big.mp4', path: '/nonexistent', size: 5 * 1024 ** 3, mtime: new Date() };
    const small = { name: 'after.json', path: '/nonexistent', size: 10, mtime: new Date() };
    const plan = planZip([small, big, small]);
    expect(plan.entries.map((e) => e.zip64)).toEqual([false, true, true]);
    expect(plan.entries[2]!.offset).toBeGreaterThan(0xffffffff);
    expect(plan.zip64End).toBe(true);
    // Headers, descriptors, the central directory and both end records around 5 GiB of data.
    expect(plan.totalBytes - (5 * 1024 ** 3 + 20)).toBeGreaterThan(0);
    expect(plan.totalBytes).toBe(plan.centralOffset + plan.centralSize + 56 + 20 + 22);
    const plain = planZip([small]);
    expect(plain.zip64End).toBe(false);
    expect(plain.totalBytes).toBe(30 + 10 + 10 + 16 + 46 + 10 + 22);
  });

  it('fails when a file changed size after the plan, instead of writing an archive that lies', async () => {
    const changing = source('export-1/tracks.json', Buffer.from('[1,2,3]'));
    const plan = planZip([changing]);
    writeFileSync(changing.path, '[1,2,3,4]');
    const sink = new PassThrough();
    sink.resume();
    await expect(writeZip(plan, sink)).rejects.toThrow(/larger than when the archive was planned/);
  });

  it('stops reading when the download goes away', async () => {
    const plan = planZip(sources);
    let taken = 0;
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        // The reader disappears after the first megabyte: the writer must not wait for a drain forever.
        if (taken > 1024 * 1024) this.destroy();
        else setImmediate(callback);
      },
    });
    await expect(writeZip(plan, slow)).rejects.toThrow(/closed/);
  });
});
