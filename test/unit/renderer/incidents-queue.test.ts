import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/shared/incidents';
import {
  alertedCameraIds,
  compareIncidents,
  isOpen,
  keepSelection,
  mergeRefresh,
  moveSelection,
  newAlarms,
  sortQueue,
  upsertIncident,
} from '../../../src/renderer/features/incidents/queue';

function inc(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    cameraId: 'cam1',
    cameraName: 'Gate',
    ruleId: 'r1',
    ruleName: 'Person at gate',
    type: 'presence',
    severity: 'medium',
    state: 'new',
    trackId: 1,
    label: 'person',
    startedAt: 1000,
    updatedAt: 1000,
    endedAt: null,
    owner: null,
    evidenceLock: false,
    snapshotRef: null,
    details: {},
    ...over,
  };
}

const ids = (list: readonly Incident[]) => list.map((i) => i.id);

describe('incident queue order', () => {
  it('puts the most severe first, then the newest', () => {
    const list = [
      inc('low-new', { severity: 'low', startedAt: 9000 }),
      inc('crit-old', { severity: 'critical', startedAt: 1000 }),
      inc('high', { severity: 'high', startedAt: 5000 }),
      inc('crit-new', { severity: 'critical', startedAt: 3000 }),
      inc('med', { severity: 'medium', startedAt: 8000 }),
    ];
    expect(ids(sortQueue(list))).toEqual(['crit-new', 'crit-old', 'high', 'med', 'low-new']);
  });

  it('is stable for equal severity and time (by id)', () => {
    expect(compareIncidents(inc('a'), inc('b'))).toBeLessThan(0);
    expect(ids(sortQueue([inc('b'), inc('a')]))).toEqual(['a', 'b']);
  });

  it('knows which states are open', () => {
    expect(['new', 'acknowledged', 'in_progress', 'closed', 'false_alarm'].map((s) => isOpen(s as Incident['state']))).toEqual([true, true, true, false, false]);
  });
});

describe('incident.updated events', () => {
  it('adds a new incident in its place', () => {
    const list = sortQueue([inc('a', { severity: 'high' }), inc('b', { severity: 'low' })]);
    expect(ids(upsertIncident(list, inc('c', { severity: 'critical' })))).toEqual(['c', 'a', 'b']);
    expect(ids(upsertIncident(list, inc('c', { severity: 'medium' })))).toEqual(['a', 'c', 'b']);
  });

  it('replaces an incident without duplicating it, and re-sorts', () => {
    const list = sortQueue([inc('a', { severity: 'high' }), inc('b', { severity: 'low' })]);
    const next = upsertIncident(list, inc('b', { severity: 'critical', state: 'acknowledged' }));
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next[0]?.state).toBe('acknowledged');
  });

  it('drops incidents that are closed or false alarms', () => {
    const list = [inc('a'), inc('b')];
    expect(ids(upsertIncident(list, inc('a', { state: 'closed' })))).toEqual(['b']);
    expect(ids(upsertIncident(list, inc('b', { state: 'false_alarm' })))).toEqual(['a']);
    expect(ids(upsertIncident(list, inc('z', { state: 'closed' })))).toEqual(['a', 'b']);
  });

  it('does not change the list it was given', () => {
    const list = [inc('a')];
    upsertIncident(list, inc('b'));
    expect(ids(list)).toEqual(['a']);
  });
});

describe('periodic refresh', () => {
  it('takes the engine answer as the truth', () => {
    const current = [inc('a'), inc('gone')];
    const fetched = [inc('a', { state: 'acknowledged' }), inc('new', { severity: 'critical' })];
    const merged = mergeRefresh(current, fetched);
    expect(ids(merged)).toEqual(['new', 'a']);
    expect(merged[1]?.state).toBe('acknowledged');
  });

  it('keeps what events said after the request went out', () => {
    const current = [inc('a', { state: 'in_progress' }), inc('raised-meanwhile')];
    const fetched = [inc('a', { state: 'new' })];
    const merged = mergeRefresh(current, fetched, new Set(['a', 'raised-meanwhile']));
    expect(ids(merged)).toEqual(['a', 'raised-meanwhile']);
    expect(merged[0]?.state).toBe('in_progress');
  });

  it('drops an incident an event closed meanwhile even if the answer still lists it', () => {
    const current = [inc('b')];
    const fetched = [inc('a'), inc('b')];
    expect(ids(mergeRefresh(current, fetched, new Set(['a'])))).toEqual(['b']);
  });

  it('never lists closed incidents from the answer', () => {
    expect(ids(mergeRefresh([], [inc('a', { state: 'closed' }), inc('b')]))).toEqual(['b']);
  });
});

describe('selection', () => {
  const list = [inc('a'), inc('b'), inc('c')];

  it('moves down and up, clamped at the ends', () => {
    expect(moveSelection(list, 'a', 1)).toBe('b');
    expect(moveSelection(list, 'c', 1)).toBe('c');
    expect(moveSelection(list, 'b', -1)).toBe('a');
    expect(moveSelection(list, 'a', -1)).toBe('a');
  });

  it('starts at the top (or the bottom going up) with nothing selected', () => {
    expect(moveSelection(list, null, 1)).toBe('a');
    expect(moveSelection(list, null, -1)).toBe('c');
    expect(moveSelection(list, 'unknown', 1)).toBe('a');
    expect(moveSelection([], null, 1)).toBeNull();
  });

  it('keeps the selection, or moves to the row that took its place', () => {
    expect(keepSelection(list, [inc('b'), inc('a')], 'a')).toBe('a');
    expect(keepSelection(list, [inc('a'), inc('c')], 'b')).toBe('c');
    expect(keepSelection(list, [inc('a'), inc('b')], 'c')).toBe('b');
    expect(keepSelection(list, [], 'a')).toBeNull();
    expect(keepSelection(list, list, null)).toBeNull();
  });
});

describe('alarms', () => {
  it('flashes cameras with a new high or critical incident, until acknowledged', () => {
    const list = [
      inc('a', { cameraId: 'cam2', severity: 'critical' }),
      inc('b', { cameraId: 'cam1', severity: 'high' }),
      inc('c', { cameraId: 'cam3', severity: 'medium' }),
      inc('d', { cameraId: 'cam4', severity: 'critical', state: 'acknowledged' }),
      inc('e', { cameraId: 'cam2', severity: 'high' }),
    ];
    expect(alertedCameraIds(list)).toEqual(['cam1', 'cam2']);
    expect(alertedCameraIds(upsertIncident(list, inc('b', { cameraId: 'cam1', severity: 'high', state: 'acknowledged' })))).toEqual(['cam2']);
  });

  it('sounds once per new high or critical incident, never for the first load', () => {
    const seen = new Set<string>();
    expect(newAlarms(seen, [inc('old', { severity: 'critical' })], false)).toEqual([]);
    expect(ids(newAlarms(seen, [inc('old', { severity: 'critical' }), inc('x', { severity: 'critical' }), inc('y', { severity: 'low' })], true))).toEqual(['x']);
    expect(newAlarms(seen, [inc('x', { severity: 'critical', updatedAt: 5000 })], true)).toEqual([]);
    expect(newAlarms(seen, [inc('z', { severity: 'high', state: 'acknowledged' })], true)).toEqual([]);
    expect(ids(newAlarms(seen, [inc('h', { severity: 'high' })], true))).toEqual(['h']);
  });
});
