// Evidence export end to end with real FFmpeg and real Ed25519: recording-like fragmented
// MP4 segments are cut from the demo clip, exported across a segment boundary from a point
// between keyframes, and the folder is then verified and tampered with.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../src/main/engine/evidence/export-error';
import { exportEvidence, type ExportRequest } from '../../src/main/engine/evidence/export-evidence';
import type { EvidenceManifest } from '../../src/main/engine/evidence/evidence-manifest';
import { loadOrCreateInstallationKey, type InstallationKey } from '../../src/main/engine/evidence/installation-key';
import { verifyExport } from '../../src/main/engine/evidence/verify-export';
import { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { DEMO_CLIP, REPO_ROOT } from '../support/test-engine';

// Recording-like footage: the demo clip cut by FFmpeg's segment muxer into 10 s fragmented
// MP4 files, the way the recorder writes them, each with the wall-clock start it would store.
function makeRecordingSegments(source: string, folder: string, startMs: number, count: number): { path: string; startMs: number; endMs: number }[] {
  mkdirSync(folder, { recursive: true });
  // The demo clip has a keyframe every 2 s, so stream copy cuts exactly at 10 s.
  execFileSync('ffmpeg', [
    '-v', 'error', '-i', source, '-t', String(count * 10), '-map', '0:v', '-c', 'copy',
    '-f', 'segment', '-segment_time', '10', '-reset_timestamps', '1', '-segment_format', 'mp4',
    '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof',
    join(folder, 'seg-%03d.mp4'),
  ]);
  return Array.from({ length: count }, (_, i) => ({
    path: join(folder, `seg-${String(i).padStart(3, '0')}.mp4`),
    startMs: startMs + i * 10_000,
    endMs: startMs + (i + 1) * 10_000,
  }));
}

function probeDuration(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

/** Frames a player shows: decoded, after the edit list drops the pre-roll. */
function probeFrames(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
let dir: string;
let key: InstallationKey;
let segments: { path: string; startMs: number; endMs: number }[];
let snapshot: string;

function request(outDir: string, overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    outDir,
    ffmpegPath: 'ffmpeg',
    key,
    exporterVersion: '0.1.0-test',
    title: 'Incident 42: loitering at gate',
    range: { from: T0 + 7_300, to: T0 + 15_100 },
    cameras: [{ id: 'cam-1', name: 'Gate', segments }],
    ...overrides,
  };
}

async function exportError(promise: Promise<unknown>): Promise<ExportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExportError);
  return error as ExportError;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-evidence-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  key = loadOrCreateInstallationKey(dataDir, new SecretBox(randomBytes(32)));
  segments = makeRecordingSegments(DEMO_CLIP, join(dir, 'recordings', 'cam-1'), T0, 3);
  snapshot = join(dir, 'snap.jpg');
  execFileSync('ffmpeg', ['-v', 'error', '-ss', '8', '-i', DEMO_CLIP, '-frames:v', '1', '-y', snapshot]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportEvidence', () => {
  let out: string;
  let manifest: EvidenceManifest;
  const progress: number[] = [];

  beforeAll(async () => {
    out = join(dir, 'incident-42');
    manifest = await exportEvidence(
      request(out, {
        cameras: [
          { id: 'cam-1', name: 'Gate', segments },
          // The middle segment is missing: a 10 s recording gap inside the range.
          { id: 'cam 2/yard', name: 'Yard', segments: [segments[0]!, segments[2]!] },
        ],
        range: { from: T0 + 7_300, to: T0 + 25_300 },
        tracks: [
          { cameraId: 'cam-1', trackKey: 'r1:3', label: 'person', firstSeen: T0 + 8_000, lastSeen: T0 + 14_000, bestScore: 0.91234, bestBox: [10.4, 20, 110, 220.6], frameWidth: 640, frameHeight: 360 },
          { cameraId: 'cam 2/yard', label: 'car', firstSeen: T0 + 7_500, lastSeen: T0 + 9_000, bestScore: 0.5, bestBox: [1, 2, 3, 4] },
        ],
        actions: [
          { at: T0 + 60_000, who: 'operator "Kim"', what: 'note', details: '=HYPERLINK("x"), seen at gate' },
          { at: T0 + 30_000, who: 'system', what: 'incident opened', details: { rule: 'loitering' } },
        ],
        snapshots: [{ name: 'gate best.jpg', path: snapshot }],
        onProgress: (f) => progress.push(f),
      }),
    );
  });

  it('writes one stream-copied clip per camera, within 0.5 s of the range, and nothing half-done', () => {
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(manifest.cameras.map((c) => c.file)).toEqual(['video/cam-1.mp4', 'video/cam-2-yard.mp4']);
    // 7.3 s (between the keyframes at 6 and 8 s) to 25.3 s, across two segment boundaries.
    expect(Math.abs(probeDuration(join(out, 'video/cam-1.mp4')) - 18)).toBeLessThan(0.5);
    expect(Math.abs(probeFrames(join(out, 'video/cam-1.mp4')) - 180)).toBeLessThanOrEqual(2);
    // With the gap the clip keeps wall-clock time: 18 s long, holding 8 s of pictures.
    expect(Math.abs(probeDuration(join(out, 'video/cam-2-yard.mp4')) - 18)).toBeLessThan(0.5);
    expect(Math.abs(probeFrames(join(out, 'video/cam-2-yard.mp4')) - 80)).toBeLessThanOrEqual(2);
    expect(manifest.cameras[1]!.coverage).toEqual([
      { from: T0 + 7_300, to: T0 + 10_000 },
      { from: T0 + 20_000, to: T0 + 25_300 },
    ]);
  });

  it('lists every file with size and SHA-256, signs the manifest, and verifies', async () => {
    expect(manifest.files.map((f) => f.path)).toEqual(['actions.csv', 'actions.json', 'snapshots/gate-best.jpg', 'tracks.csv', 'tracks.json', 'video/cam-1.mp4', 'video/cam-2-yard.mp4']);
    expect(manifest.fingerprint).toBe(key.fingerprint);
    expect(manifest.exporter.version).toBe('0.1.0-test');
    expect(readFileSync(join(out, 'snapshots/gate-best.jpg')).equals(readFileSync(snapshot))).toBe(true);
    const result = await verifyExport(out, { expectedFingerprint: key.fingerprint.toUpperCase() });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, fingerprint: key.fingerprint });
  });

  it('writes the tracks and the audit trail as JSON and spreadsheet-safe CSV', () => {
    const tracks = readFileSync(join(out, 'tracks.csv'), 'utf8').split('\r\n');
    expect(tracks[0]).toBe('\uFEFFcamera_id,camera,track,label,first_seen,last_seen,best_score,box_x1,box_y1,box_x2,box_y2,frame_width,frame_height');
    expect(tracks[1]).toBe('cam 2/yard,Yard,,car,2025-03-14T09:00:07.500Z,2025-03-14T09:00:09.000Z,0.5,1,2,3,4,,');
    expect(tracks[2]).toBe('cam-1,Gate,r1:3,person,2025-03-14T09:00:08.000Z,2025-03-14T09:00:14.000Z,0.912,10,20,110,221,640,360');
    const actions = readFileSync(join(out, 'actions.csv'), 'utf8').split('\r\n');
    expect(actions[1]).toBe('2025-03-14T09:00:30.000Z,system,incident opened,"{""rule"":""loitering""}"');
    expect(actions[2]).toBe('2025-03-14T09:01:00.000Z,"operator ""Kim""",note,"\'=HYPERLINK(""x""), seen at gate"');
    const json = JSON.parse(readFileSync(join(out, 'actions.json'), 'utf8')) as { actions: { details: unknown }[] };
    expect(json.actions[1]!.details).toBe('=HYPERLINK("x"), seen at gate');
  });

  it('reports progress by bytes, never backwards, ending at 1', () => {
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });

  it('names the changed file when one byte of a clip is flipped', async () => {
    const copy = join(dir, 'flipped');
    cpSync(out, copy, { recursive: true });
    const clip = join(copy, 'video/cam-1.mp4');
    const bytes = readFileSync(clip);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(clip, bytes);
    const result = await verifyExport(copy);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ file: 'video/cam-1.mp4', code: 'FILE_HASH_MISMATCH' })]);
  });

  it('fails the signature when one character of manifest.json changes', async () => {
    const copy = join(dir, 'edited-manifest');
    cpSync(out, copy, { recursive: true });
    const text = readFileSync(join(copy, 'manifest.json'), 'utf8');
    writeFileSync(join(copy, 'manifest.json'), text.replace('Incident 42', 'Incident 43'));
    const result = await verifyExport(copy);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('reports an added file, a removed file and a foreign key', async () => {
    const copy = join(dir, 'added');
    cpSync(out, copy, { recursive: true });
    writeFileSync(join(copy, 'snapshots', 'extra.jpg'), 'not from the export');
    appendFileSync(join(copy, 'tracks.csv'), 'x');
    const result = await verifyExport(copy, { expectedFingerprint: 'ab'.repeat(32) });
    expect(result.problems.map((p) => [p.code, p.file])).toEqual([
      ['FINGERPRINT_MISMATCH', undefined],
      ['FILE_SIZE_MISMATCH', 'tracks.csv'],
      ['FILE_UNLISTED', 'snapshots/extra.jpg'],
    ]);
  });
});

describe('exportEvidence failures', () => {
  it('gives EXPORT_NO_FOOTAGE for a range no segment covers, and leaves no folder', async () => {
    const out = join(dir, 'nothing');
    const error = await exportError(exportEvidence(request(out, { range: { from: T0 + 3_600_000, to: T0 + 3_660_000 } })));
    expect(error.code).toBe('EXPORT_NO_FOOTAGE');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('never overwrites an existing folder', async () => {
    const out = join(dir, 'taken');
    mkdirSync(out);
    expect((await exportError(exportEvidence(request(out)))).code).toBe('EXPORT_EXISTS');
  });

  it('gives EXPORT_SOURCE_MISSING when a segment is gone, and EXPORT_FAILED when FFmpeg cannot read one, leaving nothing', async () => {
    const gone = join(dir, 'gone');
    const missing = await exportError(exportEvidence(request(gone, { cameras: [{ id: 'c', name: 'C', segments: [{ path: join(dir, 'no.mp4'), startMs: T0, endMs: T0 + 10_000 }] }] })));
    expect(missing.code).toBe('EXPORT_SOURCE_MISSING');
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, randomBytes(50_000));
    const broken = join(dir, 'broken');
    const failed = await exportError(exportEvidence(request(broken, { cameras: [{ id: 'c', name: 'C', segments: [{ path: garbage, startMs: T0, endMs: T0 + 10_000 }] }], range: { from: T0 + 1_000, to: T0 + 5_000 } })));
    expect(failed.code).toBe('EXPORT_FAILED');
    expect(failed.message).toContain('FFmpeg');
    expect(existsSync(broken)).toBe(false);
    expect(existsSync(`${broken}.partial`)).toBe(false);
  });

  it('gives EXPORT_BAD_RANGE for a range that ends before it starts', async () => {
    expect((await exportError(exportEvidence(request(join(dir, 'backwards'), { range: { from: T0 + 5_000, to: T0 } })))).code).toBe('EXPORT_BAD_RANGE');
  });

  it.each([
    ['across one boundary from between keyframes', 7_300, 15_100],
    ['inside one segment', 12_700, 15_100],
    ['starting exactly on a segment boundary', 20_000, 29_000],
  ])('cuts a range %s to within 0.5 s', async (_, from, to) => {
    const out = join(dir, `range-${from}-${to}`);
    await exportEvidence(request(out, { range: { from: T0 + from, to: T0 + to } }));
    expect(Math.abs(probeDuration(join(out, 'video/cam-1.mp4')) - (to - from) / 1000)).toBeLessThan(0.5);
  });
});

describe('npm run verify-export', () => {
  let cli: string;
  let valid: string;

  // The CLI as users run it: bundled the way scripts/build.mjs bundles the other CLIs.
  function verifyCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  beforeAll(async () => {
    cli = join(dir, 'cli', 'verify-export.js');
    await build({ absWorkingDir: REPO_ROOT, entryPoints: ['src/main/cli/verify-export.ts'], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
    valid = join(dir, 'for-cli');
    await exportEvidence(request(valid));
  });

  it('exits 0 with a report for a valid export, naming the signing key', () => {
    const run = verifyCli([valid, '--fingerprint', key.fingerprint]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('VALID');
    expect(run.stdout).toContain(key.fingerprint);
    expect(run.stdout).toContain('Incident 42');
  });

  it('exits 1 naming the file that changed, or the key that does not match', () => {
    const copy = join(dir, 'for-cli-tampered');
    cpSync(valid, copy, { recursive: true });
    const clip = join(copy, 'video/cam-1.mp4');
    const bytes = readFileSync(clip);
    bytes[1000]! ^= 0x80;
    writeFileSync(clip, bytes);
    const tampered = verifyCli([copy]);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('NOT VALID');
    expect(tampered.stdout).toContain('FILE_HASH_MISMATCH video/cam-1.mp4');
    const foreign = verifyCli([valid, '--fingerprint', 'cd'.repeat(32)]);
    expect(foreign.status).toBe(1);
    expect(foreign.stdout).toContain('FINGERPRINT_MISMATCH');
  });

  it('exits 2 on usage errors', () => {
    expect(verifyCli([]).status).toBe(2);
    expect(verifyCli([valid, '--fingerprint', 'xyz']).status).toBe(2);
    expect(verifyCli([valid, '--frobnicate']).status).toBe(2);
    const missing = verifyCli([join(dir, 'no-such-export')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('is not a folder');
  });
});
