// npm run bench:export — the evidence exporter against a plain copy of the same bytes, in one run.
//
//   footage:  10 minutes of 1280x720 H.264 (4 Mbit/s, 2 s GOP) cut into 10 s fragmented-MP4
//             segments with the recorder's own segment-muxer options and folder layout.
//   baseline: fs.copyFile of every segment of the range into a fresh folder: the least any
//             export of those bytes could cost.
//   checked copy: the same copy, then SHA-256 and fsync of every copied file: the least a
//             copy costs that a recipient can check and that survives a power cut.
//   export:   exportEvidence of the whole 10-minute range (concat + stream-copy trim, tracks
//             and audit tables, SHA-256 of every file, fsync, Ed25519 signature, rename).
//   archive:  the finished folder streamed as the ZIP download (CRC-32 of every byte).
//
// The two alternate, several repetitions each, after one untimed read of every segment, so
// both read from the page cache. Figures are printed and saved to bench/results/export.json.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, open, readFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { exportEvidence } from '../src/main/engine/evidence/export-evidence';
import { hashFile, walkFolder } from '../src/main/engine/evidence/evidence-manifest';
import { loadOrCreateInstallationKey } from '../src/main/engine/evidence/installation-key';
import { planZip, writeZip } from '../src/main/engine/evidence/zip-archive';
import { FRAGMENT_SECONDS, SEGMENT_SECONDS } from '../src/main/engine/recording/recording-service';
import { dayFolder, segmentPath, absoluteSegmentPath } from '../src/main/engine/recording/segment-layout';
import { parseSegmentLine } from '../src/main/engine/recording/segment-list';
import { SecretBox } from '../src/main/engine/secrets/secret-box';
import { childrenOf } from './proc-stats';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const MINUTES = arg('minutes', 10);
const REPS = arg('reps', 5);
const FFMPEG = process.env.VIGIL_FFMPEG_PATH ?? 'ffmpeg';
const CAMERA = 'bench-cam';
const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
const MB = 1024 * 1024;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Segment {
  path: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

/**
 * The recorder's output for MINUTES of a 720p camera, made as fast as the machine can: 20 s of
 * the demo footage encoded once at 1280x720, then looped by stream copy through the segment
 * muxer with the recorder's options. Wall-clock times come from FFmpeg's segment list (the
 * recorder takes them from the clock as each segment closes), names from the recorder's layout.
 */
function recordFootage(dir: string): Segment[] {
  const chunk = join(dir, 'chunk-720p.mp4');
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-i', join(root, 'resources/demo/vtest-640x360.mp4'), '-t', '20', '-vf', 'scale=1280:720,fps=25', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-maxrate', '4M', '-bufsize', '8M', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p', '-an', chunk]);
  const raw = join(dir, 'raw');
  mkdirSync(raw);
  const list = join(dir, 'segments.csv');
  // As cameras/ffmpeg-argv.ts recordArgs(), except numbered names (strftime names would all
  // fall in the same second here) and the list written to a file instead of a pipe.
  const formatOptions = ['movflags=+frag_keyframe+empty_moov+default_base_moof', `frag_duration=${FRAGMENT_SECONDS * 1_000_000}`, 'flush_packets=1'];
  execFileSync(FFMPEG, [
    '-v', 'error', '-stream_loop', String(Math.ceil((MINUTES * 60) / 20) - 1), '-i', chunk, '-t', String(MINUTES * 60),
    '-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy',
    '-f', 'segment', '-segment_time', String(SEGMENT_SECONDS), '-segment_format', 'mp4', '-segment_format_options', formatOptions.join(':'),
    '-reset_timestamps', '1', '-segment_list', list, '-segment_list_type', 'csv', join(raw, '%05d.mp4'),
  ]);
  const recordings = join(dir, 'recordings');
  return readFileSync(list, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const notice = parseSegmentLine(line.trim());
      if (!notice) return [];
      const startMs = T0 + Math.round(notice.startSeconds * 1000);
      const name = `${new Date(startMs).toISOString().slice(0, 19).replace(/:/g, '-')}Z.mp4`;
      const path = absoluteSegmentPath(recordings, segmentPath(CAMERA, name)!);
      mkdirSync(join(recordings, CAMERA, dayFolder(startMs)), { recursive: true });
      renameSync(join(raw, notice.file), path);
      return [{ path, startMs, endMs: T0 + Math.round(notice.endSeconds * 1000), bytes: statSync(path).size }];
    });
}

/** Peak RSS (VmHWM) of this process's FFmpeg children while `work` runs, sampled every 50 ms. */
async function withChildPeak<T>(work: () => Promise<T>): Promise<{ value: T; childPeakBytes: number }> {
  let peak = 0;
  const sample = () => {
    for (const pid of childrenOf(process.pid)) {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]) * 1024);
      } catch {
        // exited
      }
    }
  };
  const timer = setInterval(sample, 50);
  try {
    return { value: await work(), childPeakBytes: peak };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-export-'));
  try {
    console.log(`bench:export: ${MINUTES} min of 1280x720 H.264 in ${SEGMENT_SECONDS} s segments, ${REPS} repetitions each`);
    let started = Date.now();
    const segments = recordFootage(dir);
    const bytes = segments.reduce((sum, s) => sum + s.bytes, 0);
    console.log(`footage: ${segments.length} segments, ${round(bytes / MB, 1)} MB, made in ${round((Date.now() - started) / 1000, 1)} s`);
    const range = { from: T0, to: T0 + MINUTES * 60_000 };
    mkdirSync(join(dir, 'data'));
    const key = loadOrCreateInstallationKey(join(dir, 'data'), new SecretBox(randomBytes(32)));
    for (const s of segments) await readFile(s.path); // into the page cache for both

    const copies: number[] = [];
    const checkedCopies: number[] = [];
    const exports: number[] = [];
    const archives: number[] = [];
    let childPeakBytes = 0;
    let clipSeconds = 0;
    let exportBytes = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const copyDir = join(dir, `copy-${rep}`);
      mkdirSync(copyDir);
      started = performance.now();
      for (const [i, s] of segments.entries()) await copyFile(s.path, join(copyDir, `${i}.mp4`));
      copies.push((performance.now() - started) / 1000);
      rmSync(copyDir, { recursive: true });

      mkdirSync(copyDir);
      started = performance.now();
      for (const [i, s] of segments.entries()) {
        const target = join(copyDir, `${i}.mp4`);
        await copyFile(s.path, target);
        await hashFile(target);
        const handle = await open(target, 'r');
        await handle.sync();
        await handle.close();
      }
      checkedCopies.push((performance.now() - started) / 1000);
      rmSync(copyDir, { recursive: true });

      const outDir = join(dir, `export-${rep}`);
      started = performance.now();
      const run = await withChildPeak(() =>
        exportEvidence({ outDir, ffmpegPath: FFMPEG, key, exporterVersion: 'bench', title: 'bench', range, cameras: [{ id: CAMERA, name: 'Bench camera', segments }] }),
      );
      exports.push((performance.now() - started) / 1000);
      childPeakBytes = Math.max(childPeakBytes, run.childPeakBytes);
      const camera = run.value.cameras[0]!;
      clipSeconds = ((camera.clipEnd ?? 0) - (camera.clipStart ?? 0)) / 1000;
      exportBytes = run.value.files.reduce((sum, f) => sum + f.size, 0);

      // The browser's download: the finished folder through the ZIP writer into nowhere.
      const entries = [];
      for (const file of await walkFolder(outDir)) {
        const path = join(outDir, file.path);
        const facts = statSync(path);
        entries.push({ name: `export/${file.path}`, path, size: facts.size, mtime: facts.mtime });
      }
      started = performance.now();
      await writeZip(planZip(entries), new Writable({ write: (_chunk, _encoding, done) => done() }));
      archives.push((performance.now() - started) / 1000);
      rmSync(outDir, { recursive: true });
      console.log(`  rep ${rep + 1}: copy ${round(copies[rep]!, 3)} s, checked copy ${round(checkedCopies[rep]!, 3)} s, export ${round(exports[rep]!, 3)} s, archive ${round(archives[rep]!, 3)} s`);
    }

    const copyS = median(copies);
    const checkedS = median(checkedCopies);
    const exportS = median(exports);
    const archiveS = median(archives);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, ffmpeg: execFileSync(FFMPEG, ['-version'], { encoding: 'utf8' }).split('\n')[0] },
      footage: { minutes: MINUTES, width: 1280, height: 720, fps: 25, bitrateMbit: 4, segments: segments.length, megabytes: round(bytes / MB, 1) },
      repetitions: REPS,
      copySeconds: { median: round(copyS, 3), all: copies.map((v) => round(v, 3)) },
      checkedCopySeconds: { median: round(checkedS, 3), all: checkedCopies.map((v) => round(v, 3)) },
      exportSeconds: { median: round(exportS, 3), all: exports.map((v) => round(v, 3)) },
      archiveSeconds: { median: round(archiveS, 3), all: archives.map((v) => round(v, 3)) },
      ratioExportToCopy: round(exportS / copyS, 2),
      ratioExportToCheckedCopy: round(exportS / checkedS, 2),
      copyMBps: round(bytes / MB / copyS, 1),
      exportMBps: round(bytes / MB / exportS, 1),
      archiveMBps: round(exportBytes / MB / archiveS, 1),
      clipSeconds: round(clipSeconds, 2),
      exportMegabytes: round(exportBytes / MB, 1),
      peakRssMB: { benchProcess: round(process.resourceUsage().maxRSS / 1024, 1), ffmpeg: round(childPeakBytes / MB, 1) },
    };
    const rows: [string, string][] = [
      ['footage', `${MINUTES} min 1280x720, ${segments.length} segments, ${result.footage.megabytes} MB`],
      ['plain copy (fs.copyFile), median', `${result.copySeconds.median} s  (${result.copyMBps} MB/s)`],
      ['copy + SHA-256 + fsync, median', `${result.checkedCopySeconds.median} s  (${round(bytes / MB / checkedS, 1)} MB/s)`],
      ['exportEvidence, median', `${result.exportSeconds.median} s  (${result.exportMBps} MB/s)`],
      ['ratio export / plain copy', `${result.ratioExportToCopy}`],
      ['ratio export / checked copy', `${result.ratioExportToCheckedCopy}`],
      ['ZIP download of the folder, median', `${result.archiveSeconds.median} s  (${result.archiveMBps} MB/s)`],
      ['clip length', `${result.clipSeconds} s for a ${MINUTES * 60} s range`],
      ['peak RSS: bench process / FFmpeg', `${result.peakRssMB.benchProcess} MB / ${result.peakRssMB.ffmpeg} MB`],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    console.log('');
    for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
    const out = join(root, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'export.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('\nsaved bench/results/export.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
