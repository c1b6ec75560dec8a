// What an operator may do to an incident in each state. Pure, unit-tested. The engine has
// the last word (INCIDENT_TRANSITION_INVALID); this only keeps impossible buttons disabled.
import type { Incident, IncidentActionKind, IncidentState } from '../../../shared/incidents';

/** The actions an operator can send (the engine's own 'raised' and 'condition-ended', and 'export' written by the exporter, are not among them). */
export type OperatorAction = Exclude<IncidentActionKind, 'raised' | 'condition-ended' | 'export'>;

export const OPERATOR_ACTIONS: readonly OperatorAction[] = ['acknowledge', 'start', 'close', 'false-alarm', 'reopen', 'note', 'assign', 'lock', 'unlock'];

/**
 * new -> acknowledged -> in_progress -> closed; an acknowledged incident may also be closed
 * directly (the engine's rule: never closed unseen); any open state -> false alarm; closed or
 * false alarm -> reopen. Must match src/main/engine/incidents/incident-transitions.ts.
 */
const TRANSITIONS: Record<'acknowledge' | 'start' | 'close' | 'false-alarm' | 'reopen', readonly IncidentState[]> = {
  acknowledge: ['new'],
  start: ['new', 'acknowledged'],
  close: ['acknowledged', 'in_progress'],
  'false-alarm': ['new', 'acknowledged', 'in_progress'],
  reopen: ['closed', 'false_alarm'],
};

/** Whether the state machine allows `action` in `state`; note, assign, lock and unlock always are. */
export function isAllowed(state: IncidentState, action: OperatorAction): boolean {
  if (action === 'note' || action === 'assign' || action === 'lock' || action === 'unlock') return true;
  return TRANSITIONS[action].includes(state);
}

export function allowedActions(state: IncidentState): OperatorAction[] {
  return OPERATOR_ACTIONS.filter((action) => isAllowed(state, action));
}

/** Whether a button is enabled: the state machine, and lock only when unlocked (unlock only when locked). */
export function canDo(incident: Pick<Incident, 'state' | 'evidenceLock'>, action: OperatorAction): boolean {
  if (action === 'lock') return !incident.evidenceLock;
  if (action === 'unlock') return incident.evidenceLock;
  return isAllowed(incident.state, action);
}

export const ACTION_LABELS: Record<OperatorAction, string> = {
  acknowledge: 'Acknowledge',
  start: 'Start',
  close: 'Close',
  'false-alarm': 'False alarm',
  reopen: 'Reopen',
  note: 'Note',
  assign: 'Assign',
  lock: 'Lock evidence',
  unlock: 'Unlock evidence',
};

/** Whether the action needs text from the operator first: a note (required or optional) or an owner. */
export type ActionInput = 'none' | 'note-required' | 'note-optional' | 'owner';

export function actionInput(action: OperatorAction): ActionInput {
  switch (action) {
    case 'note':
      return 'note-required';
    case 'false-alarm':
      return 'note-optional';
    case 'assign':
      return 'owner';
    default:
      return 'none';
  }
}
