// Rule forms <-> RuleSet bodies. Pure, unit-tested. The form holds what the operator types
// (numbers as text, durations in seconds); the body holds what RuleSetSchema checks
// (numbers, durations in milliseconds). Nothing is validated here: a bad entry becomes NaN
// and RuleSetSchema.safeParse reports it against the field (validation.ts).
import type {
  CrossingDirection,
  Line,
  PicturePoint,
  Rule,
  RuleSet,
  RuleType,
  ScheduleWindow,
  Severity,
  Zone,
} from '../../../shared/rules';

/** The detector's report labels the class pickers offer. */
export const CLASS_OPTIONS = ['person', 'bicycle', 'car', 'motorbike', 'bus', 'truck', 'dog', 'cat'] as const;
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
export const RULE_TYPES: readonly RuleType[] = ['presence', 'loitering', 'line-crossing', 'count', 'camera-offline', 'classifier'];
export const DIRECTIONS: readonly CrossingDirection[] = ['a-to-b', 'b-to-a', 'both'];

export const RULE_TYPE_LABELS: Record<RuleType, string> = {
  presence: 'Presence in a zone',
  loitering: 'Loitering in a zone',
  'line-crossing': 'Line crossing',
  count: 'Count in a zone',
  'camera-offline': 'Camera offline',
  classifier: 'Classifier (clip)',
};

export const DIRECTION_LABELS: Record<CrossingDirection, string> = {
  'a-to-b': 'a → b',
  'b-to-a': 'b → a',
  both: 'both ways',
};

export const DAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Which form fields each rule type uses (besides the common ones). */
export const RULE_FIELDS: Record<RuleType, readonly RuleField[]> = {
  presence: ['classes', 'zoneId', 'minScore', 'minDurationS'],
  loitering: ['classes', 'zoneId', 'dwellS'],
  'line-crossing': ['classes', 'lineId', 'direction'],
  count: ['classes', 'zoneId', 'atLeast', 'minDurationS'],
  'camera-offline': ['afterS'],
  classifier: ['zoneId', 'label', 'threshold', 'minDurationS'],
};

export type RuleField = 'classes' | 'zoneId' | 'lineId' | 'direction' | 'minScore' | 'minDurationS' | 'dwellS' | 'atLeast' | 'afterS' | 'label' | 'threshold';

/** One rule as the form edits it; fields the type does not use are kept (switching type back restores them) but not sent. */
export interface RuleForm {
  id: string;
  type: RuleType;
  name: string;
  severity: Severity;
  enabled: boolean;
  classes: string[];
  /** '' = none chosen (for the classifier: the whole picture). */
  zoneId: string;
  lineId: string;
  /** '' = the line's own direction. */
  direction: CrossingDirection | '';
  minScore: string;
  minDurationS: string;
  dwellS: string;
  atLeast: string;
  afterS: string;
  label: string;
  threshold: string;
  schedule: ScheduleWindow[];
  timeZone: string;
}

/** Everything the editor edits for one camera. */
export interface EditorDoc {
  zones: Zone[];
  lines: Line[];
  rules: RuleForm[];
}

export function emptyDoc(): EditorDoc {
  return { zones: [], lines: [], rules: [] };
}

/** The browser's time zone ('UTC' when it cannot say). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A number typed into a form: NaN for empty or unreadable text (so validation flags it). */
export function parseNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return Number.NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Seconds typed into a form -> whole milliseconds (NaN stays NaN). */
export function secondsToMs(text: string): number {
  const seconds = parseNumber(text);
  return Number.isNaN(seconds) ? Number.NaN : Math.round(seconds * 1000);
}

/** Milliseconds -> the seconds a form shows ('1.5', '30'). */
export function msToSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

export interface NewRuleContext {
  id: string;
  cameraId?: string;
  zones: readonly Zone[];
  lines: readonly Line[];
  timeZone: string;
}

/** A fresh rule of `type` with usable defaults, pointing at the first zone (not mask) and line. */
export function newRuleForm(type: RuleType, ctx: NewRuleContext): RuleForm {
  const zone = ctx.zones.find((z) => z.kind === 'zone');
  const line = ctx.lines[0];
  return {
    id: ctx.id,
    type,
    name: RULE_TYPE_LABELS[type],
    severity: type === 'camera-offline' ? 'high' : 'medium',
    enabled: true,
    classes: ['person'],
    zoneId: type === 'classifier' ? '' : (zone?.id ?? ''),
    lineId: line?.id ?? '',
    direction: '',
    minScore: '0.5',
    minDurationS: type === 'count' ? '5' : type === 'classifier' ? '2' : '0',
    dwellS: '30',
    atLeast: '3',
    afterS: '60',
    label: 'violence',
    threshold: '0.7',
    schedule: [],
    timeZone: ctx.timeZone,
  };
}

/** The form of a rule the engine sent. */
export function ruleToForm(rule: Rule): RuleForm {
  const base = newRuleForm(rule.type, { id: rule.id, zones: [], lines: [], timeZone: rule.timeZone });
  const form: RuleForm = {
    ...base,
    name: rule.name,
    severity: rule.severity,
    enabled: rule.enabled,
    schedule: rule.schedule.map((w) => ({ days: [...w.days], from: w.from, to: w.to })),
    timeZone: rule.timeZone,
  };
  switch (rule.type) {
    case 'presence':
      return { ...form, classes: [...rule.classes], zoneId: rule.zoneId, minScore: String(rule.minScore), minDurationS: msToSeconds(rule.minDurationMs) };
    case 'loitering':
      return { ...form, classes: [...rule.classes], zoneId: rule.zoneId, dwellS: msToSeconds(rule.dwellMs) };
    case 'line-crossing':
      return { ...form, classes: [...rule.classes], lineId: rule.lineId, direction: rule.direction ?? '' };
    case 'count':
      return { ...form, classes: [...rule.classes], zoneId: rule.zoneId, atLeast: String(rule.atLeast), minDurationS: msToSeconds(rule.minDurationMs) };
    case 'camera-offline':
      return { ...form, afterS: msToSeconds(rule.afterMs) };
    case 'classifier':
      return { ...form, zoneId: rule.zoneId ?? '', label: rule.label, threshold: String(rule.threshold), minDurationS: msToSeconds(rule.minDurationMs) };
  }
}

/** The body of a rule form (unvalidated: RuleSetSchema decides whether it is acceptable). */
export function formToRule(form: RuleForm, cameraId: string): Rule {
  const common = {
    id: form.id,
    name: form.name.trim(),
    cameraId,
    severity: form.severity,
    enabled: form.enabled,
    schedule: form.schedule.map((w) => ({ days: [...w.days].sort((a, b) => a - b), from: w.from, to: w.to })),
    timeZone: form.timeZone.trim(),
  };
  const classes = [...form.classes];
  switch (form.type) {
    case 'presence':
      return { ...common, type: 'presence', classes, zoneId: form.zoneId, minScore: parseNumber(form.minScore), minDurationMs: secondsToMs(form.minDurationS) };
    case 'loitering':
      return { ...common, type: 'loitering', classes, zoneId: form.zoneId, dwellMs: secondsToMs(form.dwellS) };
    case 'line-crossing':
      return { ...common, type: 'line-crossing', classes, lineId: form.lineId, ...(form.direction ? { direction: form.direction } : {}) };
    case 'count':
      return { ...common, type: 'count', classes, zoneId: form.zoneId, atLeast: parseNumber(form.atLeast), minDurationMs: secondsToMs(form.minDurationS) };
    case 'camera-offline':
      return { ...common, type: 'camera-offline', afterMs: secondsToMs(form.afterS) };
    case 'classifier':
      return {
        ...common,
        type: 'classifier',
        ...(form.zoneId ? { zoneId: form.zoneId } : {}),
        label: form.label.trim(),
        threshold: parseNumber(form.threshold),
        minDurationMs: secondsToMs(form.minDurationS),
      };
  }
}

/** The editor's document of a RuleSet the engine sent (only this camera's items are kept). */
export function docFromRuleSet(set: RuleSet, cameraId: string): EditorDoc {
  return {
    zones: set.zones.filter((z) => z.cameraId === cameraId).map((z) => ({ ...z, polygon: z.polygon.map(([x, y]) => [x, y] as PicturePoint) })),
    lines: set.lines.filter((l) => l.cameraId === cameraId).map((l) => ({ ...l, points: [[...l.points[0]], [...l.points[1]]] as Line['points'] })),
    rules: set.rules.filter((r) => r.cameraId === cameraId).map(ruleToForm),
  };
}

/** The PUT body: the whole RuleSet of the camera. */
export function docToRuleSet(doc: EditorDoc, cameraId: string): RuleSet {
  return {
    zones: doc.zones.map((z) => ({ ...z, cameraId, name: z.name.trim() })),
    lines: doc.lines.map((l) => ({ ...l, cameraId, name: l.name.trim() })),
    rules: doc.rules.map((r) => formToRule(r, cameraId)),
  };
}

/** A name not yet used among `taken`: 'Zone 1', 'Zone 2', ... */
export function nextName(prefix: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${prefix} ${i}`)) return `${prefix} ${i}`;
}

/**
 * The document after zone or line `id` is deleted: rules that pointed at it now point at
 * nothing ('' — validation asks the operator to choose another), classifier rules fall
 * back to the whole picture.
 */
export function removeShape(doc: EditorDoc, id: string): EditorDoc {
  return {
    zones: doc.zones.filter((z) => z.id !== id),
    lines: doc.lines.filter((l) => l.id !== id),
    rules: doc.rules.map((r) => (r.zoneId === id ? { ...r, zoneId: '' } : r.lineId === id ? { ...r, lineId: '' } : r)),
  };
}

/** Rules that use zone or line `id` (to warn before deleting it). */
export function rulesUsing(doc: EditorDoc, id: string): RuleForm[] {
  return doc.rules.filter((r) => (RULE_FIELDS[r.type].includes('zoneId') && r.zoneId === id) || (RULE_FIELDS[r.type].includes('lineId') && r.lineId === id));
}

/** Toggles `day` in a schedule window's days, kept sorted. */
export function toggleDay(days: readonly number[], day: number): number[] {
  return days.includes(day) ? days.filter((d) => d !== day) : [...days, day].sort((a, b) => a - b);
}
