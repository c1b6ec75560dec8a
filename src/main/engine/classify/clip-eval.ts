// eval:clips' bookkeeping: which clips carry which label (one subfolder per label), and how
// well the scores separate the positive label from the rest at a threshold. The labelled
// folder layout is the one public violence datasets ship in (RLVS: Violence/, NonViolence/).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DetectError } from '../inference/detect-error';
import { labelKey } from './clip-model-spec';

export interface LabelledClip {
  /** Path relative to the evaluation folder, e.g. "violence/fight-01.mp4". */
  name: string;
  file: string;
  /** The model's label the folder stands for. */
  label: string;
}

/**
 * Every clip under `folder`, labelled by its subfolder. Subfolder names match the model's
 * labels loosely ("NonViolence" is "non-violence"); CLIP_FOLDER_INVALID for a folder that
 * is missing, has a subfolder that is no label of the model, or holds no clip at all.
 */
export function labelledClips(folder: string, labels: readonly string[]): LabelledClip[] {
  const entries = (() => {
    try {
      return readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw new DetectError('CLIP_FOLDER_INVALID', `${folder} cannot be read: ${(error as Error).message}`);
    }
  })();
  const byKey = new Map(labels.map((label) => [labelKey(label), label]));
  const clips: LabelledClip[] = [];
  const dirs = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  for (const dir of dirs) {
    const label = byKey.get(labelKey(dir.name));
    if (!label) throw new DetectError('CLIP_FOLDER_INVALID', `${join(folder, dir.name)}: "${dir.name}" is not a label of the model (labels: ${labels.join(', ')}).`);
    const files = readdirSync(join(folder, dir.name))
      .filter((name) => !name.startsWith('.') && statSync(join(folder, dir.name, name)).isFile())
      .sort();
    for (const name of files) clips.push({ name: `${dir.name}/${name}`, file: join(folder, dir.name, name), label });
  }
  if (clips.length === 0) {
    throw new DetectError('CLIP_FOLDER_INVALID', `${folder} holds no clips: put video clips in one subfolder per label (${labels.join(', ')}), e.g. ${join(folder, labels.at(-1) ?? 'label', 'clip-01.mp4')}.`);
  }
  return clips;
}

export interface ClipOutcome {
  name: string;
  label: string;
  /** The positive label's score (the highest over windows in window mode). */
  score: number;
  predicted: boolean;
}

export interface ClipMetrics {
  positiveLabel: string;
  threshold: number;
  clips: number;
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  trueNegative: number;
  accuracy: number;
  /** null when nothing was predicted positive (precision undefined). */
  precision: number | null;
  /** null when no clip is positive (recall undefined). */
  recall: number | null;
  f1: number | null;
  /** Per folder label: clips predicted positive and negative. */
  matrix: Record<string, { positive: number; negative: number }>;
}

export function clipMetrics(outcomes: readonly ClipOutcome[], positiveLabel: string, threshold: number, labels: readonly string[]): ClipMetrics {
  const count = (truth: boolean, predicted: boolean) => outcomes.filter((o) => (o.label === positiveLabel) === truth && o.predicted === predicted).length;
  const tp = count(true, true);
  const fp = count(false, true);
  const fn = count(true, false);
  const tn = count(false, false);
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision !== null && recall !== null ? 0 : null;
  const matrix: ClipMetrics['matrix'] = {};
  for (const label of labels) {
    const rows = outcomes.filter((o) => o.label === label);
    if (rows.length) matrix[label] = { positive: rows.filter((o) => o.predicted).length, negative: rows.filter((o) => !o.predicted).length };
  }
  return {
    positiveLabel,
    threshold,
    clips: outcomes.length,
    truePositive: tp,
    falsePositive: fp,
    falseNegative: fn,
    trueNegative: tn,
    accuracy: outcomes.length ? (tp + tn) / outcomes.length : 0,
    precision,
    recall,
    f1,
    matrix,
  };
}

/** The report as text: one line per clip, the confusion matrix, and the scores for the positive label. */
export function formatClipReport(outcomes: readonly ClipOutcome[], metrics: ClipMetrics): string {
  const positive = metrics.positiveLabel;
  const negative = `not ${positive}`;
  const width = Math.max(4, ...outcomes.map((o) => o.name.length));
  const labelWidth = Math.max(5, ...Object.keys(metrics.matrix).map((l) => l.length));
  const lines = [`${'clip'.padEnd(width)}  ${'label'.padEnd(labelWidth)}  score  predicted`];
  for (const o of outcomes) lines.push(`${o.name.padEnd(width)}  ${o.label.padEnd(labelWidth)}  ${o.score.toFixed(3)}  ${o.predicted ? positive : negative}`);
  const col = Math.max(positive.length, negative.length, 8);
  lines.push('', `confusion matrix (rows: folder label, columns: predicted at threshold ${metrics.threshold})`, `${''.padEnd(labelWidth)}  ${positive.padStart(col)}  ${negative.padStart(col)}`);
  for (const [label, row] of Object.entries(metrics.matrix)) lines.push(`${label.padEnd(labelWidth)}  ${String(row.positive).padStart(col)}  ${String(row.negative).padStart(col)}`);
  const figure = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  lines.push(
    '',
    `positive label "${positive}": TP ${metrics.truePositive}  FP ${metrics.falsePositive}  FN ${metrics.falseNegative}  TN ${metrics.trueNegative}`,
    `accuracy ${figure(metrics.accuracy)}  precision ${figure(metrics.precision)}  recall ${figure(metrics.recall)}  F1 ${figure(metrics.f1)}`,
  );
  return `${lines.join('\n')}\n`;
}
