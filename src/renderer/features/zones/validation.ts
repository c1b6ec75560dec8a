// RuleSet problems -> messages next to the editor's fields. Pure, unit-tested. Both local
// problems (RuleSetSchema.safeParse issues, paths as arrays) and the engine's
// VALIDATION_FAILED issues (paths as 'rules.0.dwellMs') land on the same field keys:
//   zone:<id>:name | zone:<id>:polygon | zone:<id>
//   line:<id>:name | line:<id>:points | line:<id>
//   rule:<id>:<form field> | rule:<id>:schedule.<n> | rule:<id>
//   set (anything else)
import { RuleSetSchema, type RuleSet } from '../../../shared/rules';
import type { ApiIssue } from '../../api/errors';

export type Problems = Record<string, string>;

/** Body field of a rule -> the form field that shows it. */
const RULE_FIELD_KEYS: Record<string, string> = {
  minDurationMs: 'minDurationS',
  dwellMs: 'dwellS',
  afterMs: 'afterS',
};
const SECONDS_FIELDS = new Set(['minDurationMs', 'dwellMs', 'afterMs']);

export interface IssueLike {
  path: readonly PropertyKey[];
  code?: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  expected?: unknown;
}

/** Where on the form an issue at `path` of `set` is shown. */
export function fieldKey(path: readonly PropertyKey[], set: RuleSet): string {
  const [section, index, field, ...rest] = path;
  const i = typeof index === 'number' ? index : Number(index);
  if (section === 'zones' || section === 'lines' || section === 'rules') {
    const item = (set[section] as { id: string }[])[i];
    if (!item) return 'set';
    const prefix = `${section.slice(0, -1)}:${item.id}`;
    if (field === undefined) return prefix;
    const name = String(field);
    if (section === 'rules') {
      if (name === 'schedule') return rest.length > 0 ? `${prefix}:schedule.${String(rest[0])}` : `${prefix}:schedule`;
      return `${prefix}:${RULE_FIELD_KEYS[name] ?? name}`;
    }
    return `${prefix}:${name}`;
  }
  return 'set';
}

function seconds(value: unknown): string {
  return typeof value === 'number' || typeof value === 'bigint' ? `${Number(value) / 1000} s` : String(value);
}

/** The sentence shown for an issue: worded for the form (seconds, choices) where the schema's is not. */
export function friendlyMessage(issue: IssueLike): string {
  const field = String(issue.path[issue.path.length - 1] ?? '');
  const code = issue.code ?? '';
  if (code === 'invalid_type' && issue.expected === 'int') return 'a whole number';
  if (code === 'invalid_type' && (issue.expected === 'number' || /NaN/.test(issue.message))) return SECONDS_FIELDS.has(field) ? 'enter a number of seconds' : 'enter a number';
  if (SECONDS_FIELDS.has(field)) {
    if (code === 'too_small') return `at least ${seconds(issue.minimum)}`;
    if (code === 'too_big') return `at most ${seconds(issue.maximum)} (a day)`;
  }
  if ((field === 'minScore' || field === 'threshold') && (code === 'too_small' || code === 'too_big')) return 'between 0 and 1';
  if (field === 'atLeast' && (code === 'too_small' || code === 'too_big')) return 'from 1 to 1000';
  if (field === 'classes' && code === 'too_small') return 'choose at least one class';
  if (field === 'name' && code === 'too_small') return 'a name is needed';
  if (field === 'name' && code === 'too_big') return 'at most 80 characters';
  if (field === 'label' && code === 'too_small') return 'a label is needed';
  if ((field === 'zoneId' || field === 'lineId') && (code === 'invalid_format' || code === 'too_small' || code === 'invalid_string')) return field === 'zoneId' ? 'choose a zone' : 'choose a line';
  if (field === 'days' && code === 'too_small') return 'pick at least one day';
  if (field === 'polygon' && code === 'too_small') return 'a zone needs at least 3 points';
  if (field === 'polygon' && code === 'too_big') return 'a zone has at most 64 points';
  if (field === 'timeZone') return issue.message === 'unknown time zone' ? 'unknown time zone (e.g. Europe/London, UTC)' : issue.message;
  return issue.message;
}

function add(problems: Problems, key: string, message: string): void {
  // The first problem of a field is the one to fix first; the rest follow once it is.
  if (!(key in problems)) problems[key] = message;
}

export type LocalCheck = { ok: true; set: RuleSet } | { ok: false; problems: Problems; count: number };

/** RuleSetSchema.safeParse, with its issues keyed to the form. */
export function checkRuleSet(set: RuleSet): LocalCheck {
  const parsed = RuleSetSchema.safeParse(set);
  if (parsed.success) return { ok: true, set: parsed.data };
  const problems: Problems = {};
  for (const issue of parsed.error.issues) add(problems, fieldKey(issue.path, set), friendlyMessage(issue as IssueLike));
  return { ok: false, problems, count: parsed.error.issues.length };
}

/** The engine's VALIDATION_FAILED issues ('rules.0.dwellMs'), keyed to the form. */
export function apiProblems(issues: readonly ApiIssue[], set: RuleSet): Problems {
  const problems: Problems = {};
  for (const issue of issues) {
    const path = issue.path === '' ? [] : issue.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    add(problems, fieldKey(path, set), issue.message);
  }
  return problems;
}

/** Problems under one item (`zone:<id>`, `rule:<id>`), for a badge on its row. */
export function problemsOf(problems: Problems, prefix: string): string[] {
  return Object.entries(problems)
    .filter(([key]) => key === prefix || key.startsWith(`${prefix}:`))
    .map(([, message]) => message);
}

/**
 * True when a 404 from the rules route means the engine does not serve the route at all
 * (an older engine), not that the camera is gone: the router's 404 carries the generic
 * sentence, the camera service's names the camera.
 */
export function isMissingRoute(err: { status: number; code: string; message: string }): boolean {
  return err.status === 404 && err.code === 'RESOURCE_NOT_FOUND' && !/^No camera/i.test(err.message);
}
