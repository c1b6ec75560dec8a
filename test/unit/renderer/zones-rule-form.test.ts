import { describe, expect, it } from 'vitest';
import { RuleSetSchema, type Line, type Rule, type RuleSet, type Zone } from '../../../src/shared/rules';
import {
  browserTimeZone,
  docFromRuleSet,
  docToRuleSet,
  formToRule,
  msToSeconds,
  newRuleForm,
  nextName,
  parseNumber,
  removeShape,
  RULE_TYPES,
  ruleToForm,
  rulesUsing,
  secondsToMs,
  toggleDay,
  type EditorDoc,
} from '../../../src/renderer/features/zones/rule-form';

const CAM = 'cam-1';
const zone: Zone = {
  id: 'z1',
  cameraId: CAM,
  name: 'Door',
  kind: 'zone',
  polygon: [
    [0.1, 0.1],
    [0.5, 0.1],
    [0.5, 0.5],
  ],
};
const mask: Zone = { ...zone, id: 'm1', name: 'Road', kind: 'mask' };
const line: Line = {
  id: 'l1',
  cameraId: CAM,
  name: 'Gate',
  points: [
    [0.1, 0.8],
    [0.9, 0.8],
  ],
  direction: 'a-to-b',
};
const common = { cameraId: CAM, severity: 'high' as const, enabled: true, schedule: [], timeZone: 'UTC' };
const rules: Rule[] = [
  { ...common, id: 'r1', name: 'Person at door', type: 'presence', classes: ['person'], zoneId: 'z1', minScore: 0.6, minDurationMs: 1500 },
  { ...common, id: 'r2', name: 'Loiter', type: 'loitering', classes: ['person', 'dog'], zoneId: 'z1', dwellMs: 30_000 },
  { ...common, id: 'r3', name: 'Cross', type: 'line-crossing', classes: ['car'], lineId: 'l1', direction: 'both' },
  { ...common, id: 'r3b', name: 'Cross own', type: 'line-crossing', classes: ['car'], lineId: 'l1' },
  { ...common, id: 'r4', name: 'Crowd', type: 'count', classes: ['person'], zoneId: 'z1', atLeast: 5, minDurationMs: 0 },
  {
    ...common,
    id: 'r5',
    name: 'Offline',
    type: 'camera-offline',
    afterMs: 60_000,
    schedule: [{ days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00' }],
    timeZone: 'Europe/London',
  },
  { ...common, id: 'r6', name: 'Fight', type: 'classifier', label: 'violence', threshold: 0.8, minDurationMs: 2000 },
  { ...common, id: 'r7', name: 'Fight at door', type: 'classifier', zoneId: 'z1', label: 'violence', threshold: 0.8, minDurationMs: 2000, enabled: false },
];
const set: RuleSet = { zones: [zone, mask], lines: [line], rules };

describe('zones rule form: numbers', () => {
  it('reads typed numbers and turns seconds into whole ms', () => {
    expect(parseNumber(' 1.5 ')).toBe(1.5);
    expect(parseNumber('0,5')).toBe(0.5);
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('abc')).toBeNaN();
    expect(parseNumber('Infinity')).toBeNaN();
    expect(secondsToMs('1.5')).toBe(1500);
    expect(secondsToMs('0.0004')).toBe(0);
    expect(secondsToMs('30')).toBe(30_000);
    expect(secondsToMs('x')).toBeNaN();
    expect(msToSeconds(1500)).toBe('1.5');
    expect(msToSeconds(60_000)).toBe('60');
    expect(msToSeconds(0)).toBe('0');
  });
});

describe('zones rule form: RuleSet round trip', () => {
  it('turns every rule type into a form and back unchanged', () => {
    for (const rule of rules) expect(formToRule(ruleToForm(rule), CAM)).toEqual(rule);
  });

  it('shows durations in seconds', () => {
    const form = ruleToForm(rules[0]!);
    expect(form.minDurationS).toBe('1.5');
    expect(form.minScore).toBe('0.6');
    expect(ruleToForm(rules[1]!).dwellS).toBe('30');
    expect(ruleToForm(rules[5]!).afterS).toBe('60');
    expect(ruleToForm(rules[2]!).direction).toBe('both');
    expect(ruleToForm(rules[3]!).direction).toBe('');
    expect(ruleToForm(rules[6]!).zoneId).toBe('');
  });

  it('keeps only this camera in the document and sends a valid RuleSet back', () => {
    const other: RuleSet = {
      zones: [...set.zones, { ...zone, id: 'z9', cameraId: 'cam-2' }],
      lines: set.lines,
      rules: [...set.rules, { ...(rules[0] as Extract<Rule, { type: 'presence' }>), id: 'r9', cameraId: 'cam-2', zoneId: 'z9' }],
    };
    const doc = docFromRuleSet(other, CAM);
    expect(doc.zones.map((z) => z.id)).toEqual(['z1', 'm1']);
    expect(doc.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    const body = docToRuleSet(doc, CAM);
    expect(body).toEqual(set);
    expect(RuleSetSchema.safeParse(body).success).toBe(true);
  });

  it('does not share arrays with the set it was loaded from', () => {
    const doc = docFromRuleSet(set, CAM);
    doc.zones[0]!.polygon[0]![0] = 0.99;
    doc.lines[0]!.points[0][0] = 0.99;
    expect(zone.polygon[0]![0]).toBe(0.1);
    expect(line.points[0][0]).toBe(0.1);
  });

  it('drops fields the type does not use and trims names', () => {
    const form = { ...ruleToForm(rules[0]!), type: 'camera-offline' as const, name: '  Gone  ' };
    const rule = formToRule(form, CAM);
    expect(rule).toEqual({ ...common, id: 'r1', name: 'Gone', type: 'camera-offline', afterMs: 60_000 });
    expect(formToRule({ ...ruleToForm(rules[0]!), schedule: [{ days: [5, 1], from: '08:00', to: '17:00' }] }, CAM).schedule).toEqual([
      { days: [1, 5], from: '08:00', to: '17:00' },
    ]);
  });

  it('turns unreadable numbers into NaN for validation to flag', () => {
    const rule = formToRule({ ...ruleToForm(rules[0]!), minDurationS: 'soon', minScore: '' }, CAM);
    expect(rule.type === 'presence' && Number.isNaN(rule.minDurationMs) && Number.isNaN(rule.minScore)).toBe(true);
  });
});

describe('zones rule form: new rules', () => {
  it('makes a valid rule of every type with defaults', () => {
    const timeZone = browserTimeZone();
    expect(timeZone.length).toBeGreaterThan(0);
    for (const type of RULE_TYPES) {
      const form = newRuleForm(type, { id: `new-${type}`, zones: [mask, zone], lines: [line], timeZone });
      const body: RuleSet = { zones: [zone, mask], lines: [line], rules: [formToRule(form, CAM)] };
      const parsed = RuleSetSchema.safeParse(body);
      expect(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(form.enabled).toBe(true);
      expect(form.timeZone).toBe(timeZone);
    }
  });

  it('points at the first zone, never at a mask', () => {
    expect(newRuleForm('presence', { id: 'x', zones: [mask, zone], lines: [], timeZone: 'UTC' }).zoneId).toBe('z1');
    expect(newRuleForm('presence', { id: 'x', zones: [mask], lines: [], timeZone: 'UTC' }).zoneId).toBe('');
    expect(newRuleForm('classifier', { id: 'x', zones: [zone], lines: [], timeZone: 'UTC' }).zoneId).toBe('');
  });
});

describe('zones rule form: editing', () => {
  it('names shapes Zone 1, Zone 2, ... filling gaps', () => {
    expect(nextName('Zone', [])).toBe('Zone 1');
    expect(nextName('Zone', ['Zone 1', 'Zone 3'])).toBe('Zone 2');
  });

  it('unlinks rules from a deleted zone or line', () => {
    const doc: EditorDoc = docFromRuleSet(set, CAM);
    expect(rulesUsing(doc, 'z1').map((r) => r.id)).toEqual(['r1', 'r2', 'r4', 'r7']);
    expect(rulesUsing(doc, 'l1').map((r) => r.id)).toEqual(['r3', 'r3b']);
    const without = removeShape(doc, 'z1');
    expect(without.zones.map((z) => z.id)).toEqual(['m1']);
    expect(without.rules.find((r) => r.id === 'r1')!.zoneId).toBe('');
    const noLine = removeShape(doc, 'l1');
    expect(noLine.lines).toEqual([]);
    expect(noLine.rules.find((r) => r.id === 'r3')!.lineId).toBe('');
  });

  it('toggles schedule days, kept sorted', () => {
    expect(toggleDay([1, 5], 3)).toEqual([1, 3, 5]);
    expect(toggleDay([1, 3, 5], 3)).toEqual([1, 5]);
  });
});
