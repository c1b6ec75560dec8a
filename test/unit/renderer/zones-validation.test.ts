import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../../src/shared/rules';
import { docToRuleSet, newRuleForm, type EditorDoc } from '../../../src/renderer/features/zones/rule-form';
import { apiProblems, checkRuleSet, fieldKey, friendlyMessage, isMissingRoute, problemsOf } from '../../../src/renderer/features/zones/validation';

const CAM = 'cam-1';

function doc(): EditorDoc {
  const zones: EditorDoc['zones'] = [
    {
      id: 'z1',
      cameraId: CAM,
      name: 'Door',
      kind: 'zone',
      polygon: [
        [0.1, 0.1],
        [0.5, 0.1],
        [0.5, 0.5],
      ],
    },
  ];
  const lines: EditorDoc['lines'] = [
    {
      id: 'l1',
      cameraId: CAM,
      name: 'Gate',
      points: [
        [0.1, 0.8],
        [0.9, 0.8],
      ],
      direction: 'both',
    },
  ];
  return { zones, lines, rules: [newRuleForm('presence', { id: 'r1', zones, lines, timeZone: 'UTC' })] };
}

describe('zones validation: local check', () => {
  it('passes a good set', () => {
    const check = checkRuleSet(docToRuleSet(doc(), CAM));
    expect(check.ok).toBe(true);
  });

  it('puts problems next to the form fields, durations in seconds', () => {
    const d = doc();
    d.rules[0] = { ...d.rules[0]!, minDurationS: '100000', minScore: '2', classes: [], name: ' ' };
    d.zones[0] = { ...d.zones[0]!, name: '' };
    const check = checkRuleSet(docToRuleSet(d, CAM));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toMatchObject({
      'zone:z1:name': 'a name is needed',
      'rule:r1:name': 'a name is needed',
      'rule:r1:classes': 'choose at least one class',
      'rule:r1:minScore': 'between 0 and 1',
      'rule:r1:minDurationS': 'at most 86400 s (a day)',
    });
    expect(problemsOf(check.problems, 'rule:r1')).toHaveLength(4);
    expect(problemsOf(check.problems, 'zone:z1')).toEqual(['a name is needed']);
  });

  it('asks for numbers, whole numbers, minimum durations and a zone', () => {
    const d = doc();
    d.rules = [
      { ...newRuleForm('loitering', { id: 'r2', zones: d.zones, lines: d.lines, timeZone: 'UTC' }), dwellS: '0.5' },
      { ...newRuleForm('count', { id: 'r3', zones: [], lines: d.lines, timeZone: 'UTC' }), atLeast: '2.5', minDurationS: 'x' },
    ];
    const check = checkRuleSet(docToRuleSet(d, CAM));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems['rule:r2:dwellS']).toBe('at least 1 s');
    expect(check.problems['rule:r3:atLeast']).toBe('a whole number');
    expect(check.problems['rule:r3:minDurationS']).toBe('enter a number of seconds');
    expect(check.problems['rule:r3:zoneId']).toBe('choose a zone');
  });

  it('flags schedule windows, time zones and references', () => {
    const d = doc();
    d.rules[0] = { ...d.rules[0]!, schedule: [{ days: [], from: '08:00', to: '08:00' }], timeZone: 'Mars/Olympus' };
    d.rules.push({ ...newRuleForm('presence', { id: 'r2', zones: d.zones, lines: d.lines, timeZone: 'UTC' }), zoneId: 'gone' });
    const check = checkRuleSet(docToRuleSet(d, CAM));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems['rule:r1:schedule.0']).toBeDefined();
    expect(check.problems['rule:r1:timeZone']).toMatch(/unknown time zone/);
    expect(check.problems['rule:r2']).toBe('zone gone does not exist');
  });

  it('flags polygons with too few points and lines with ends together', () => {
    const d = doc();
    d.zones[0] = { ...d.zones[0]!, polygon: d.zones[0]!.polygon.slice(0, 2) };
    d.lines[0] = {
      ...d.lines[0]!,
      points: [
        [0.5, 0.5],
        [0.5, 0.501],
      ],
    };
    const check = checkRuleSet(docToRuleSet(d, CAM));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems['zone:z1:polygon']).toBe('a zone needs at least 3 points');
    expect(check.problems['line:l1:points']).toMatch(/must be apart/);
  });
});

describe('zones validation: keys and messages', () => {
  const set: RuleSet = docToRuleSet(doc(), CAM);

  it('keys paths to items by id', () => {
    expect(fieldKey(['zones', 0, 'polygon', 1, 0], set)).toBe('zone:z1:polygon');
    expect(fieldKey(['lines', 0], set)).toBe('line:l1');
    expect(fieldKey(['rules', 0, 'minDurationMs'], set)).toBe('rule:r1:minDurationS');
    expect(fieldKey(['rules', 0, 'schedule', 2, 'to'], set)).toBe('rule:r1:schedule.2');
    expect(fieldKey(['rules', 7, 'name'], set)).toBe('set');
    expect(fieldKey([], set)).toBe('set');
  });

  it('keeps messages it has no better words for', () => {
    expect(friendlyMessage({ path: ['rules', 0, 'severity'], code: 'invalid_value', message: 'Invalid option' })).toBe('Invalid option');
  });

  it("maps the engine's issues onto the same fields", () => {
    const problems = apiProblems(
      [
        { path: 'rules.0', code: 'RULE_REFERENCE_INVALID', message: 'zone z1 is a mask: nothing inside it is watched' },
        { path: 'rules.0.dwellMs', code: 'VALIDATION_FAILED', message: 'too small' },
        { path: '', code: 'VALIDATION_FAILED', message: 'bad body' },
      ],
      set,
    );
    expect(problems).toEqual({
      'rule:r1': 'zone z1 is a mask: nothing inside it is watched',
      'rule:r1:dwellS': 'too small',
      set: 'bad body',
    });
  });

  it('tells a missing route from a missing camera', () => {
    expect(isMissingRoute({ status: 404, code: 'RESOURCE_NOT_FOUND', message: 'No such camera, job or API route.' })).toBe(true);
    expect(isMissingRoute({ status: 404, code: 'RESOURCE_NOT_FOUND', message: 'No camera with id x.' })).toBe(false);
    expect(isMissingRoute({ status: 400, code: 'VALIDATION_FAILED', message: '' })).toBe(false);
  });
});
