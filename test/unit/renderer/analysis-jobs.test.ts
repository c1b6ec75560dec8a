import { describe, expect, it } from 'vitest';
import type { AnalysisJob } from '../../../src/shared/analysis';
import {
  downloadName,
  formatBytes,
  formatProgress,
  formatSummary,
  isActive,
  labelSummary,
  mergeJobs,
  parseFps,
  supersedes,
  upsertJob,
} from '../../../src/renderer/features/analysis/jobs';

function job(id: string, over: Partial<AnalysisJob> = {}): AnalysisJob {
  return { id, fileName: `${id}.mp4`, state: 'queued', progress: 0, createdAt: 1000, frames: 0, tracks: 0, error: null, ...over };
}

describe('analysis form', () => {
  it('accepts whole fps from 1 to 30', () => {
    expect(parseFps('5')).toBe(5);
    expect(parseFps(' 30 ')).toBe(30);
    expect(['0', '31', '2.5', '', 'x', '-1'].map(parseFps)).toEqual([null, null, null, null, null, null]);
  });

  it('names the download after the video', () => {
    expect(downloadName('lobby-cam.mp4')).toBe('lobby-cam.vigil.json');
    expect(downloadName('export.2024-05-01.dav')).toBe('export.2024-05-01.vigil.json');
    expect(downloadName('noext')).toBe('noext.vigil.json');
    expect(downloadName('C:\\exports\\gate.avi')).toBe('gate.vigil.json');
    expect(downloadName('a:b?.mkv')).toBe('a_b_.vigil.json');
    expect(downloadName('.mp4')).toBe('.mp4.vigil.json');
    expect(downloadName('')).toBe('analysis.vigil.json');
  });

  it('formats progress and sizes', () => {
    expect(formatProgress(0.426)).toBe('42 %');
    expect(formatProgress(1.5)).toBe('100 %');
    expect(formatProgress(Number.NaN)).toBe('0 %');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(35 * 1024 ** 2)).toBe('35.0 MiB');
    expect(formatBytes(100)).toBe('1 KiB');
  });
});

describe('job list', () => {
  it('keeps newest first and replaces by id', () => {
    let list = upsertJob([], job('a', { createdAt: 1 }));
    list = upsertJob(list, job('b', { createdAt: 2 }));
    expect(list.map((j) => j.id)).toEqual(['b', 'a']);
    list = upsertJob(list, job('a', { createdAt: 1, state: 'running', progress: 0.3 }));
    expect(list.find((j) => j.id === 'a')?.state).toBe('running');
    expect(isActive(list[1] as AnalysisJob)).toBe(true);
  });

  it('never moves a job back (a late upload answer after its progress events)', () => {
    const running = job('a', { state: 'running', progress: 0.5, frames: 40 });
    expect(supersedes(job('a'), running)).toBe(false);
    expect(supersedes(job('a', { state: 'running', progress: 0.4, frames: 30 }), running)).toBe(false);
    expect(supersedes(job('a', { state: 'running', progress: 0.6, frames: 50 }), running)).toBe(true);
    expect(supersedes(job('a', { state: 'failed' }), running)).toBe(true);
    expect(upsertJob([running], job('a'))[0]).toBe(running);
  });

  it('takes the engine list, keeping what events told us beyond it', () => {
    const done = job('a', { state: 'done', progress: 1 });
    const merged = mergeJobs([done, job('gone')], [job('a', { state: 'running', progress: 0.9 }), job('b', { createdAt: 5000 })]);
    expect(merged.map((j) => [j.id, j.state])).toEqual([
      ['b', 'queued'],
      ['a', 'done'],
    ]);
  });
});

describe('result summary', () => {
  it('counts tracks per label, each under its most frequent label', () => {
    const d = (label: string, trackId: number) => ({ label, score: 0.9, box: [0, 0, 1, 1] as [number, number, number, number], trackId });
    const result = {
      frames: [
        { t: 0, detections: [d('person', 1), d('car', 2)] },
        { t: 0.2, detections: [d('person', 1), d('dog', 1), d('car', 2), d('person', 3)] },
        { t: 0.4, detections: [d('person', 1), d('truck', 4)] },
      ],
    };
    expect(labelSummary(result)).toEqual([
      { label: 'person', tracks: 2 },
      { label: 'car', tracks: 1 },
      { label: 'truck', tracks: 1 },
    ]);
    expect(formatSummary(labelSummary(result))).toBe('person 2 · car 1 · truck 1');
    expect(formatSummary(labelSummary({ frames: [] }))).toBe('No objects found');
  });
});
