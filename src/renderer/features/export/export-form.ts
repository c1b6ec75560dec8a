// Words, times and checks of the export dialog. Pure, unit-tested: the engine checks the same
// things again (ExportCreateSchema) and has the last word.
import { EXPORT_MAX_CAMERAS, EXPORT_MAX_RANGE_MS, type ExportJob, type ExportJobState } from '../../../shared/exports';

/** `<input type="datetime-local" step="1">` text for a wall-clock time, in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The time a datetime-local text means in the browser's time zone; null when it is not one. */
export function fromLocalInput(text: string): number | null {
  // Date-time text without an offset is local time (ECMAScript); a bare date would be UTC.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return null;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export interface ExportForm {
  cameraIds: readonly string[];
  from: string;
  to: string;
  title: string;
  who: string;
}

export type FormProblem = { field: 'cameras' | 'from' | 'to' | 'title' | 'who'; code: string; message: string };

/** What stops the form from being sent, before the engine is asked. */
export function checkExportForm(form: ExportForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (form.cameraIds.length === 0) problems.push({ field: 'cameras', code: 'EXPORT_TARGET_INVALID', message: 'Choose at least one camera.' });
  if (form.cameraIds.length > EXPORT_MAX_CAMERAS) problems.push({ field: 'cameras', code: 'VALIDATION_FAILED', message: `At most ${EXPORT_MAX_CAMERAS} cameras per export.` });
  const from = fromLocalInput(form.from);
  const to = fromLocalInput(form.to);
  if (from === null) problems.push({ field: 'from', code: 'EXPORT_BAD_RANGE', message: 'Enter the start as a date and time.' });
  if (to === null) problems.push({ field: 'to', code: 'EXPORT_BAD_RANGE', message: 'Enter the end as a date and time.' });
  if (from !== null && to !== null) {
    if (to <= from) problems.push({ field: 'to', code: 'EXPORT_BAD_RANGE', message: 'The end must be after the start.' });
    else if (to - from > EXPORT_MAX_RANGE_MS) problems.push({ field: 'to', code: 'EXPORT_RANGE_TOO_LONG', message: 'An export covers at most 24 hours.' });
  }
  if (form.title.trim().length > 200) problems.push({ field: 'title', code: 'VALIDATION_FAILED', message: 'The title is longer than 200 characters.' });
  const who = form.who.trim();
  if (who.length === 0 || who.length > 80) problems.push({ field: 'who', code: 'VALIDATION_FAILED', message: 'Enter your name (1-80 characters): the export is recorded under it.' });
  return problems;
}

/** "1 min 30 s" for a range length. */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 s';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return [h ? `${h} h` : '', min ? `${min} min` : '', sec || (!h && !min) ? `${sec} s` : ''].filter(Boolean).join(' ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A SHA-256 fingerprint in groups of four, so two people can read it out to each other. */
export function formatFingerprint(hex: string): string {
  return (hex.toLowerCase().match(/.{1,4}/g) ?? []).join(' ');
}

export const JOB_STATE_LABELS: Record<ExportJobState, string> = {
  queued: 'Waiting for the export before it',
  running: 'Exporting',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The dialog's progress line: state and percentage. */
export function progressLine(job: Pick<ExportJob, 'state' | 'progress'>): string {
  if (job.state === 'running') return `${JOB_STATE_LABELS.running}… ${Math.floor(job.progress * 100)} %`;
  return JOB_STATE_LABELS[job.state];
}
