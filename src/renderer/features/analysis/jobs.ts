// Footage analysis jobs as the panel shows them. Pure, unit-tested.
import type { AnalysisJob, AnalysisResult, AnalysisState } from '../../../shared/analysis';

export const ANALYSIS_FPS = { min: 1, max: 30, default: 5 } as const;

/** The fps field: a whole number from 1 to 30, or null when it is not one. */
export function parseFps(input: string): number | null {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return null;
  const fps = Number(text);
  return fps >= ANALYSIS_FPS.min && fps <= ANALYSIS_FPS.max ? fps : null;
}

const STATE_RANK: Record<AnalysisState, number> = { queued: 0, running: 1, done: 2, failed: 2 };

/**
 * Whether `candidate` may replace `current` (same job): an answer that was overtaken by an
 * event (a 'queued' upload response after a 'running' update) must not move the job back.
 */
export function supersedes(candidate: AnalysisJob, current: AnalysisJob): boolean {
  const a = STATE_RANK[candidate.state] ?? 0;
  const b = STATE_RANK[current.state] ?? 0;
  if (a !== b) return a > b;
  if (a === 2) return true; // finished either way: the latest word wins
  return candidate.progress >= current.progress && candidate.frames >= current.frames;
}

/** Newest first. */
export function sortJobs(jobs: readonly AnalysisJob[]): AnalysisJob[] {
  return [...jobs].sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
}

export function upsertJob(jobs: readonly AnalysisJob[], job: AnalysisJob): AnalysisJob[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index < 0) return sortJobs([...jobs, job]);
  const current = jobs[index] as AnalysisJob;
  if (!supersedes(job, current)) return [...jobs];
  const next = [...jobs];
  next[index] = job;
  return sortJobs(next);
}

/** The engine's list replaces ours, except where an event already told us more. */
export function mergeJobs(current: readonly AnalysisJob[], fetched: readonly AnalysisJob[]): AnalysisJob[] {
  const known = new Map(current.map((j) => [j.id, j]));
  return sortJobs(
    fetched.map((job) => {
      const mine = known.get(job.id);
      return mine && !supersedes(job, mine) ? mine : job;
    }),
  );
}

export function isActive(job: Pick<AnalysisJob, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** "42 %" */
export function formatProgress(progress: number): string {
  const p = Number.isFinite(progress) ? Math.max(0, Math.min(1, progress)) : 0;
  return `${Math.floor(p * 100)} %`;
}

export interface LabelCount {
  label: string;
  tracks: number;
}

/**
 * How many tracks of each label the result holds. A track counts once, under the label it
 * carried most often (ties: the first seen), so a person briefly taken for a dog is a person.
 */
export function labelSummary(result: Pick<AnalysisResult, 'frames'>): LabelCount[] {
  const byTrack = new Map<number, Map<string, number>>();
  for (const frame of result.frames) {
    for (const d of frame.detections) {
      let labels = byTrack.get(d.trackId);
      if (!labels) byTrack.set(d.trackId, (labels = new Map()));
      labels.set(d.label, (labels.get(d.label) ?? 0) + 1);
    }
  }
  const counts = new Map<string, number>();
  for (const labels of byTrack.values()) {
    let best = '';
    let bestCount = -1;
    for (const [label, n] of labels) {
      if (n > bestCount) {
        best = label;
        bestCount = n;
      }
    }
    counts.set(best, (counts.get(best) ?? 0) + 1);
  }
  return [...counts].map(([label, tracks]) => ({ label, tracks })).sort((a, b) => b.tracks - a.tracks || a.label.localeCompare(b.label));
}

/** "person 3 · car 1" */
export function formatSummary(summary: readonly LabelCount[]): string {
  return summary.length === 0 ? 'No objects found' : summary.map((s) => `${s.label} ${s.tracks}`).join(' · ');
}

/** `lobby-cam.mp4` -> `lobby-cam.vigil.json`: the video's name without its extension, safe as a file name. */
export function downloadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.includes('.') && !base.startsWith('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  // eslint-disable-next-line no-control-regex
  const safe = stem.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').trim();
  return `${safe || 'analysis'}.vigil.json`;
}

/** "1.2 GiB", "35.0 MiB", "12 KiB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}
