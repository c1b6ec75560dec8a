import { describe, it, expect } from 'vitest';
import { LineSchema, RuleSchema, RuleSetSchema, ScheduleWindowSchema, ZoneSchema, type Rule } from '../../../src/shared/rules';

const zone = {
  id: 'yard',
  cameraId: 'cam-1',
  name: 'Yard',
  kind: 'zone',
  polygon: [
    [0.1, 0.5],
    [0.9, 0.5],
    [0.9, 1],
    [0.1, 1],
  ],
};
const line = { id: 'gate', cameraId: 'cam-1', name: 'Gate', points: [[0.2, 0.6], [0.8, 0.6]], direction: 'a-to-b' };
const common = { name: 'Rule', cameraId: 'cam-1', severity: 'high', enabled: true, schedule: [], timeZone: 'Europe/London' };
const loitering = { ...common, id: 'r1', type: 'loitering', classes: ['person'], zoneId: 'yard', dwellMs: 60_000 };

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('rule schemas', () => {
  it('accepts every kind of rule', () => {
    const rules = [
      { ...common, id: 'a', type: 'presence', classes: ['person', 'car'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 },
      loitering,
      { ...common, id: 'c', type: 'line-crossing', classes: ['person'], lineId: 'gate' },
      { ...common, id: 'd', type: 'line-crossing', classes: ['car'], lineId: 'gate', direction: 'both' },
      { ...common, id: 'e', type: 'count', classes: ['person'], zoneId: 'yard', atLeast: 3, minDurationMs: 5000 },
      { ...common, id: 'f', type: 'camera-offline', afterMs: 30_000 },
      { ...common, id: 'g', type: 'classifier', label: 'violence', threshold: 0.8, minDurationMs: 2000 },
      { ...common, id: 'h', type: 'classifier', zoneId: 'yard', label: 'violence', threshold: 0.8, minDurationMs: 2000, schedule: [{ days: [5, 6], from: '22:00', to: '06:00' }] },
    ];
    for (const rule of rules) expect(issues(RuleSchema.safeParse(rule)), rule.id).toEqual([]);
    expect(RuleSetSchema.safeParse({ zones: [zone], lines: [line], rules }).success).toBe(true);
  });

  it('rejects unknown fields, at every level', () => {
    expect(RuleSchema.safeParse({ ...loitering, colour: 'red' }).success).toBe(false);
    expect(ZoneSchema.safeParse({ ...zone, opacity: 0.5 }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...loitering, schedule: [{ days: [1], from: '09:00', to: '17:00', note: 'x' }] }).success).toBe(false);
    // A field of another rule type is unknown to this one.
    expect(RuleSchema.safeParse({ ...loitering, minScore: 0.5 }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...loitering, type: 'tailgating' }).success).toBe(false);
  });

  it('rejects polygons with fewer than 3 or more than 64 points, and coordinates off the picture', () => {
    expect(ZoneSchema.safeParse({ ...zone, polygon: zone.polygon.slice(0, 2) }).success).toBe(false);
    const many = Array.from({ length: 65 }, (_, i) => [0.5 + 0.4 * Math.cos(i / 10), 0.5 + 0.4 * Math.sin(i / 10)]);
    expect(ZoneSchema.safeParse({ ...zone, polygon: many }).success).toBe(false);
    expect(ZoneSchema.safeParse({ ...zone, polygon: [[0.1, 0.1], [1.2, 0.1], [0.5, 0.5]] }).success).toBe(false);
    expect(ZoneSchema.safeParse({ ...zone, polygon: [[0.1, -0.1], [0.9, 0.1], [0.5, 0.5]] }).success).toBe(false);
    expect(ZoneSchema.safeParse({ ...zone, polygon: [[0.1, 0.1, 0.3], [0.9, 0.1], [0.5, 0.5]] }).success).toBe(false);
    expect(ZoneSchema.safeParse({ ...zone, kind: 'exclusion' }).success).toBe(false);
    expect(LineSchema.safeParse({ ...line, points: [[0.2, 0.6], [1.5, 0.6]] }).success).toBe(false);
    expect(LineSchema.safeParse({ ...line, points: [[0.2, 0.6]] }).success).toBe(false);
    expect(LineSchema.safeParse({ ...line, points: [[0.2, 0.6], [0.2, 0.6]] }).success).toBe(false);
  });

  it('rejects bad times, days and windows', () => {
    for (const [from, to] of [
      ['9:00', '17:00'],
      ['24:00', '06:00'],
      ['09:60', '17:00'],
      ['09:00', '24:01'],
      ['09:00', '17:00:00'],
      ['09:00', '09:00'],
    ]) {
      expect(ScheduleWindowSchema.safeParse({ days: [1], from, to }).success, `${from}-${to}`).toBe(false);
    }
    expect(ScheduleWindowSchema.safeParse({ days: [1], from: '00:00', to: '24:00' }).success).toBe(true);
    expect(ScheduleWindowSchema.safeParse({ days: [7], from: '09:00', to: '17:00' }).success).toBe(false);
    expect(ScheduleWindowSchema.safeParse({ days: [], from: '09:00', to: '17:00' }).success).toBe(false);
    expect(ScheduleWindowSchema.safeParse({ days: [1, 1], from: '09:00', to: '17:00' }).success).toBe(false);
  });

  it('rejects an unknown time zone', () => {
    expect(RuleSchema.safeParse({ ...loitering, timeZone: 'Mars/Olympus_Mons' }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...loitering, timeZone: '' }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...loitering, timeZone: 'UTC' }).success).toBe(true);
  });

  it('bounds every number and string', () => {
    const bad: Record<string, unknown>[] = [
      { dwellMs: 500 },
      { dwellMs: 2 * 24 * 3600_000 },
      { dwellMs: 1500.5 },
      { classes: [] },
      { classes: ['person', 'person'] },
      { name: '' },
      { name: 'x'.repeat(81) },
      { id: 'has space' },
      { severity: 'urgent' },
      { enabled: 'yes' },
    ];
    for (const change of bad) expect(RuleSchema.safeParse({ ...loitering, ...change }).success, JSON.stringify(change)).toBe(false);
    const presence = { ...common, id: 'p', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 };
    expect(RuleSchema.safeParse({ ...presence, minScore: 1.5 }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...presence, minDurationMs: -1 }).success).toBe(false);
    const count = { ...common, id: 'n', type: 'count', classes: ['person'], zoneId: 'yard', atLeast: 0, minDurationMs: 0 };
    expect(RuleSchema.safeParse(count).success).toBe(false);
    const classifier = { ...common, id: 'k', type: 'classifier', label: 'violence', threshold: 1.1, minDurationMs: 0 };
    expect(RuleSchema.safeParse(classifier).success).toBe(false);
  });

  it('checks a rule set: unique ids, and references to a zone or line of the same camera that is not a mask', () => {
    const set = (zones: unknown[], rules: Partial<Rule>[]) => RuleSetSchema.safeParse({ zones, lines: [line], rules });
    expect(set([zone], [loitering as Rule]).success).toBe(true);
    expect(set([zone, zone], [loitering as Rule]).success).toBe(false);
    expect(set([zone], [loitering as Rule, loitering as Rule]).success).toBe(false);
    expect(set([], [loitering as Rule]).success).toBe(false);
    expect(set([{ ...zone, kind: 'mask' }], [loitering as Rule]).success).toBe(false);
    expect(set([{ ...zone, cameraId: 'cam-2' }], [loitering as Rule]).success).toBe(false);
    expect(set([zone], [{ ...common, id: 'l', type: 'line-crossing', classes: ['person'], lineId: 'fence' } as Rule]).success).toBe(false);
  });
});
