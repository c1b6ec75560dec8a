// `npm run analyze` on a real DVR-style export (MS-MPEG4 AVI): real FFmpeg, onnxruntime and
// the model; the JSON is checked for shape, content and determinism.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/shared/analysis';
import { modelDir, testMedia } from '../support/test-media';
import { REPO_ROOT } from '../support/test-engine';

const CLI = join(REPO_ROOT, 'out', 'cli', 'analyze.js');
let dir: string;

function analyze(args: string[]): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [CLI, ...args], { env: { ...process.env, VIGIL_MODEL_PATH: modelDir(), VIGIL_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 });
    return { status: 0, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stderr: Buffer };
    return { status: failed.status, stderr: failed.stderr.toString() };
  }
}

beforeAll(() => {
  // npm test builds first; a lone run of this file builds what it needs.
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--node-only'], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'vigil-analyze-'));
});

describe('npm run analyze', () => {
  it('finds and tracks the people in the footage, in source pixels, the same way twice', () => {
    const video = testMedia('vtest.avi');
    const first = join(dir, 'first.json');
    const second = join(dir, 'second.json');
    expect(analyze([video, '--fps', '2', '--json', first]).status).toBe(0);
    expect(analyze([video, '--fps', '2', '--json', second]).status).toBe(0);
    const result = JSON.parse(readFileSync(first, 'utf8')) as AnalysisResult;
    expect(result).toMatchObject({ model: 'yolox-nano', width: 768, height: 576, fps: 2 });
    expect(result.frames.length).toBeGreaterThanOrEqual(155); // 79.5 s at 2 fps
    expect(result.frames[4]!.t).toBe(2);
    const people = result.frames.flatMap((f) => f.detections).filter((d) => d.label === 'person');
    expect(people.length).toBeGreaterThan(result.frames.length); // several people in most frames
    for (const person of people) {
      const [x1, y1, x2, y2] = person.box;
      expect(y1).toBeGreaterThanOrEqual(0);
      expect(x1).toBeGreaterThanOrEqual(0);
      expect(y2).toBeLessThanOrEqual(576);
      expect(x2).toBeGreaterThan(x1);
      expect(person.trackId).toBeGreaterThan(0);
    }
    // Deterministic on CPU: byte for byte the same JSON.
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });

  it('fails with ANALYSIS_NOT_VIDEO for a file that is not video, and writes nothing', () => {
    const notes = join(dir, 'notes.avi');
    writeFileSync(notes, 'shift handover notes\n'.repeat(100));
    const out = join(dir, 'notes.json');
    const run = analyze([notes, '--json', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/ANALYSIS_NOT_VIDEO/);
    expect(existsSync(out)).toBe(false);
  });

  it('explains its usage', () => {
    const run = analyze([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: npm run analyze -- <video>/);
  });
});
