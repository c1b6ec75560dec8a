import { describe, expect, it } from 'vitest';
import { INCIDENT_STATES, IncidentActionRequestSchema } from '../../../src/shared/incidents';
import { actionInput, allowedActions, canDo, isAllowed, OPERATOR_ACTIONS } from '../../../src/renderer/features/incidents/actions';
import { formatAge, formatDetail, parseOperatorName, STATE_LABELS } from '../../../src/renderer/features/incidents/format';
import { isTyping, shortcutFor, shortcutHelp, SHORTCUTS } from '../../../src/renderer/features/incidents/shortcuts';

describe('allowed actions per state', () => {
  it('matches the engine: new -> acknowledged -> in_progress -> closed, close once seen, false alarm while open, reopen when final', () => {
    expect(allowedActions('new')).toEqual(['acknowledge', 'start', 'false-alarm', 'note', 'assign', 'lock', 'unlock']);
    expect(allowedActions('acknowledged')).toEqual(['start', 'close', 'false-alarm', 'note', 'assign', 'lock', 'unlock']);
    expect(allowedActions('in_progress')).toEqual(['close', 'false-alarm', 'note', 'assign', 'lock', 'unlock']);
    expect(allowedActions('closed')).toEqual(['reopen', 'note', 'assign', 'lock', 'unlock']);
    expect(allowedActions('false_alarm')).toEqual(['reopen', 'note', 'assign', 'lock', 'unlock']);
  });

  it('always allows note, assign, lock and unlock', () => {
    for (const state of INCIDENT_STATES) for (const action of ['note', 'assign', 'lock', 'unlock'] as const) expect(isAllowed(state, action)).toBe(true);
  });

  it('offers lock only when unlocked and unlock only when locked', () => {
    expect(canDo({ state: 'new', evidenceLock: false }, 'lock')).toBe(true);
    expect(canDo({ state: 'new', evidenceLock: false }, 'unlock')).toBe(false);
    expect(canDo({ state: 'closed', evidenceLock: true }, 'unlock')).toBe(true);
    expect(canDo({ state: 'closed', evidenceLock: true }, 'lock')).toBe(false);
    expect(canDo({ state: 'closed', evidenceLock: true }, 'acknowledge')).toBe(false);
  });

  it('covers every operator action of the API contract', () => {
    for (const action of OPERATOR_ACTIONS) {
      const request = { action, who: 'ops', ...(action === 'note' ? { note: 'x' } : {}), ...(action === 'assign' ? { owner: 'bob' } : {}) };
      expect(IncidentActionRequestSchema.safeParse(request).success).toBe(true);
    }
  });

  it('asks for a note or an owner where the API needs one', () => {
    expect(actionInput('note')).toBe('note-required');
    expect(actionInput('false-alarm')).toBe('note-optional');
    expect(actionInput('assign')).toBe('owner');
    expect(actionInput('acknowledge')).toBe('none');
  });
});

describe('shortcuts', () => {
  it('maps keys to commands', () => {
    const map = (key: string) => shortcutFor({ key, targetTag: 'BODY' });
    expect(['a', 'A', 'j', 'J', 'ArrowDown', 'k', 'K', 'ArrowUp', 'Enter', 'c', 'f', 'n', 'x', 'Escape'].map(map)).toEqual([
      'acknowledge',
      'acknowledge',
      'next',
      'next',
      'next',
      'previous',
      'previous',
      'previous',
      'open',
      'close',
      'false-alarm',
      'note',
      null,
      null,
    ]);
  });

  it('does nothing while typing or with a modifier', () => {
    for (const targetTag of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(shortcutFor({ key: 'a', targetTag })).toBeNull();
    expect(shortcutFor({ key: 'a', targetTag: 'DIV', targetEditable: true })).toBeNull();
    expect(shortcutFor({ key: 'a', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'c', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'f', altKey: true })).toBeNull();
    expect(isTyping({ key: 'a', targetTag: 'BUTTON' })).toBe(false);
  });

  it('leaves Enter to buttons and focused tiles', () => {
    expect(shortcutFor({ key: 'Enter', targetTag: 'BUTTON', targetInteractive: true })).toBeNull();
    expect(shortcutFor({ key: 'a', targetTag: 'BUTTON', targetInteractive: true })).toBe('acknowledge');
  });

  it('lists every command in the help', () => {
    const help = shortcutHelp();
    expect(new Set(SHORTCUTS.map((s) => s.command)).size).toBe(7);
    for (const s of SHORTCUTS) expect(help).toContain(s.label);
  });
});

describe('formatting', () => {
  it('formats ages', () => {
    expect(formatAge(0)).toBe('just now');
    expect(formatAge(-3000)).toBe('just now');
    expect(formatAge(4_999)).toBe('just now');
    expect(formatAge(40_000)).toBe('40 s');
    expect(formatAge(60_000)).toBe('1 min');
    expect(formatAge(2 * 60_000 + 59_000)).toBe('2 min');
    expect(formatAge(3 * 3_600_000 + 5)).toBe('3 h');
    expect(formatAge(47 * 3_600_000)).toBe('47 h');
    expect(formatAge(50 * 3_600_000)).toBe('2 d');
    expect(formatAge(Number.NaN)).toBe('just now');
  });

  it('labels every state', () => {
    for (const state of INCIDENT_STATES) expect(STATE_LABELS[state]).toBeTruthy();
  });

  it('accepts an operator name of 1-80 characters', () => {
    expect(parseOperatorName('  Alice ')).toBe('Alice');
    expect(parseOperatorName('')).toBeNull();
    expect(parseOperatorName('   ')).toBeNull();
    expect(parseOperatorName('x'.repeat(81))).toBeNull();
    expect(parseOperatorName(42)).toBeNull();
    expect(parseOperatorName(undefined)).toBeNull();
  });
});

describe('incident details', () => {
  it('formats the engine details as fact lines', () => {
    const now = Date.now();
    expect(formatDetail('durationMs', 5670, now)).toEqual({ name: 'duration', value: '5.7 s' });
    expect(formatDetail('durationMs', 65_000, now)).toEqual({ name: 'duration', value: '65 s' });
    expect(formatDetail('score', 0.8091, now)).toEqual({ name: 'score', value: '81 %' });
    expect(formatDetail('since', now, now)?.name).toBe('since');
    expect(formatDetail('since', now, now)?.value).not.toContain(String(now));
    expect(formatDetail('count', 3, now)).toEqual({ name: 'count', value: '3' });
    expect(formatDetail('ratio', 0.12345, now)).toEqual({ name: 'ratio', value: '0.12' });
    expect(formatDetail('zoneId', 'all', now)).toEqual({ name: 'zone', value: 'all' });
    expect(formatDetail('labels', ['a', 'b'], now)).toEqual({ name: 'labels', value: 'a, b' });
    expect(formatDetail('label', 'person', now)).toBeNull();
    expect(formatDetail('box', { x: 1 }, now)).toBeNull();
    expect(formatDetail('gone', null, now)).toBeNull();
  });
});
