// The timeline's chart data: detection density as rows recharts can stack by label, and
// the colours of labels and severities. Pure.
import type { TimelineBucket } from '../../../shared/review';
import type { Severity } from '../../../shared/rules';
import { objectColour } from '../overlay/style';

export interface DensityRow {
  at: number;
  /** null: nothing seen in the bucket (the chart draws nothing rather than a line along 0). */
  [label: string]: number | null;
}

export interface DensitySeries {
  rows: DensityRow[];
  /** Labels present, most frequent first (stacked bottom-up in that order). */
  labels: string[];
  /** Highest stacked total of one bucket (the chart's y range). */
  max: number;
}

/**
 * One row per bucket with a count per label (0 where absent, so stacking is well defined),
 * plus a closing row at `to` repeating the last bucket, so a step chart draws it full width.
 * Empty buckets are null, except the first after a busy one, where the step comes down.
 */
export function densitySeries(buckets: readonly TimelineBucket[], to: number): DensitySeries {
  const totals = new Map<string, number>();
  for (const bucket of buckets) for (const [label, n] of Object.entries(bucket.byLabel)) totals.set(label, (totals.get(label) ?? 0) + n);
  const labels = [...totals.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  let max = 0;
  let previousEmpty = true;
  const rows: DensityRow[] = buckets.map((bucket) => {
    const row: DensityRow = { at: bucket.at };
    let sum = 0;
    for (const label of labels) sum += bucket.byLabel[label] ?? 0;
    const blank = sum === 0 && previousEmpty;
    for (const label of labels) row[label] = blank ? null : (bucket.byLabel[label] ?? 0);
    previousEmpty = sum === 0;
    max = Math.max(max, sum);
    return row;
  });
  const last = rows[rows.length - 1];
  if (last && last.at < to) rows.push({ ...last, at: to });
  return { rows, labels, max };
}

/** Density colours follow the overlay's classes (amber people, cyan vehicles…). */
export function labelColour(label: string): string {
  return objectColour(label);
}

/** The same colours as the alarm queue's --sev-* variables (SVG attributes cannot read CSS variables). */
export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#ff4d4f',
  high: '#f08a3c',
  medium: '#e0c23a',
  low: '#6f9bd1',
};
