// Camera form <-> API bodies, and API issues -> form fields. Pure, unit-tested.
import type { CameraCreate, CameraOptions, CameraUpdate, CameraView } from '../../../shared/cameras';
import { API_REASONS, CAMERA_REASONS } from '../../../shared/reasons';

export interface CameraFormValues {
  name: string;
  mainUrl: string;
  subUrl: string;
  enabled: boolean;
  rtspTransport: 'tcp' | 'udp';
  liveTranscode: 'auto' | 'always' | 'never';
  stallSeconds: string;
  transcodeWidth: string;
  transcodeHeight: string;
}

export const FORM_FIELDS = [
  'name',
  'mainUrl',
  'subUrl',
  'enabled',
  'options.rtspTransport',
  'options.liveTranscode',
  'options.stallSeconds',
  'options.transcodeSize',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export interface FieldProblem {
  code: string;
  message: string;
}

export function emptyForm(): CameraFormValues {
  return {
    name: '',
    mainUrl: '',
    subUrl: '',
    enabled: true,
    rtspTransport: 'tcp',
    liveTranscode: 'auto',
    stallSeconds: '10',
    transcodeWidth: '',
    transcodeHeight: '',
  };
}

export function formFromCamera(camera: CameraView): CameraFormValues {
  return {
    name: camera.name,
    mainUrl: camera.mainUrl,
    subUrl: camera.subUrl ?? '',
    enabled: camera.enabled,
    rtspTransport: camera.options.rtspTransport,
    liveTranscode: camera.options.liveTranscode,
    stallSeconds: String(camera.options.stallSeconds),
    transcodeWidth: camera.options.transcodeSize ? String(camera.options.transcodeSize.width) : '',
    transcodeHeight: camera.options.transcodeSize ? String(camera.options.transcodeSize.height) : '',
  };
}

type Parsed<T> = { ok: true; body: T } | { ok: false; problems: Partial<Record<FormField, FieldProblem>> };

function parseInteger(text: string): number | null {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** Client-side checks only for what the form itself can get wrong (number fields). */
function parseOptions(values: CameraFormValues): { options: Partial<CameraOptions>; problems: Partial<Record<FormField, FieldProblem>> } {
  const problems: Partial<Record<FormField, FieldProblem>> = {};
  const options: Partial<CameraOptions> = { rtspTransport: values.rtspTransport, liveTranscode: values.liveTranscode };
  const stall = parseInteger(values.stallSeconds);
  if (stall === null) problems['options.stallSeconds'] = { code: 'VALIDATION_FAILED', message: 'Enter whole seconds.' };
  else options.stallSeconds = stall;
  const w = values.transcodeWidth.trim();
  const h = values.transcodeHeight.trim();
  if (w !== '' || h !== '') {
    const width = parseInteger(w);
    const height = parseInteger(h);
    if (width === null || height === null) {
      problems['options.transcodeSize'] = {
        code: 'RESOLUTION_OUT_OF_RANGE',
        message: 'Enter both width and height in pixels, or leave both empty.',
      };
    } else {
      options.transcodeSize = { width, height };
    }
  }
  return { options, problems };
}

export function buildCreate(values: CameraFormValues): Parsed<CameraCreate> {
  const { options, problems } = parseOptions(values);
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const body: CameraCreate = { name: values.name.trim(), mainUrl: values.mainUrl.trim(), enabled: values.enabled, options };
  const sub = values.subUrl.trim();
  if (sub !== '') body.subUrl = sub;
  return { ok: true, body };
}

/**
 * Only the fields the operator changed. URLs come back from the API redacted; an unchanged
 * (redacted) URL is never sent back, so the stored credentials stay as they are.
 */
export function buildUpdate(original: CameraView, values: CameraFormValues): Parsed<CameraUpdate> {
  const { options, problems } = parseOptions(values);
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const body: CameraUpdate = {};
  const name = values.name.trim();
  if (name !== original.name) body.name = name;
  const main = values.mainUrl.trim();
  if (main !== original.mainUrl) body.mainUrl = main;
  const sub = values.subUrl.trim();
  if (sub === '' && original.subUrl !== null) body.subUrl = null;
  else if (sub !== '' && sub !== original.subUrl) body.subUrl = sub;
  if (values.enabled !== original.enabled) body.enabled = values.enabled;
  const changed: NonNullable<CameraUpdate['options']> = {};
  if (options.rtspTransport !== original.options.rtspTransport) changed.rtspTransport = options.rtspTransport;
  if (options.liveTranscode !== original.options.liveTranscode) changed.liveTranscode = options.liveTranscode;
  if (options.stallSeconds !== original.options.stallSeconds) changed.stallSeconds = options.stallSeconds;
  const before = original.options.transcodeSize;
  const after = options.transcodeSize;
  if (after && (!before || before.width !== after.width || before.height !== after.height)) changed.transcodeSize = after;
  // Clearing a stored transcodeSize cannot be expressed by CameraUpdate (not nullable): left as is.
  if (Object.keys(changed).length > 0) body.options = changed;
  return { ok: true, body };
}

/** The form field an API issue path belongs to ('options.transcodeSize.width' -> 'options.transcodeSize'). */
export function fieldForPath(path: string): FormField | null {
  const normalized = path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
  let best: FormField | null = null;
  for (const field of FORM_FIELDS) {
    if (normalized === field || normalized.startsWith(`${field}.`)) {
      if (!best || field.length > best.length) best = field;
    }
  }
  return best;
}

/** A sentence for an issue: the engine's own message (it is specific), else the reason's sentence. */
export function issueMessage(code: string, message: string): string {
  if (message.trim() !== '' && message !== code) return message;
  return (API_REASONS as Record<string, string>)[code] ?? (CAMERA_REASONS as Record<string, string>)[code] ?? message;
}

/** Splits API issues into per-field problems (first per field) and the rest. */
export function problemsFromIssues(issues: readonly { path: string; code: string; message: string }[]): {
  fields: Partial<Record<FormField, FieldProblem>>;
  other: FieldProblem[];
} {
  const fields: Partial<Record<FormField, FieldProblem>> = {};
  const other: FieldProblem[] = [];
  for (const issue of issues) {
    const problem = { code: issue.code, message: issueMessage(issue.code, issue.message) };
    const field = fieldForPath(issue.path);
    if (field && !fields[field]) fields[field] = problem;
    else if (!field) other.push({ code: problem.code, message: issue.path ? `${issue.path}: ${problem.message}` : problem.message });
  }
  return { fields, other };
}
