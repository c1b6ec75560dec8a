// What an operator may do to an incident in each state. The workflow is
// new -> acknowledged -> in_progress -> closed, with false_alarm open to any incident still
// being handled, and reopen bringing a finished one back as acknowledged (someone is looking at
// it again). Notes, assignment and the evidence lock change no state and are always allowed:
// a closed incident still needs its footage kept, or a remark added after review.
import type { IncidentActionRequest, IncidentState } from '../../../shared/incidents';
import { EngineError } from '../engine-error';

type Operator = IncidentActionRequest['action'];

const MOVES: Partial<Record<Operator, { from: readonly IncidentState[]; to: IncidentState }>> = {
  acknowledge: { from: ['new'], to: 'acknowledged' },
  // Starting work on an incident nobody acknowledged yet acknowledges it implicitly.
  start: { from: ['new', 'acknowledged'], to: 'in_progress' },
  // Closing needs someone to have acknowledged it: an alarm is never closed unseen.
  close: { from: ['acknowledged', 'in_progress'], to: 'closed' },
  'false-alarm': { from: ['new', 'acknowledged', 'in_progress'], to: 'false_alarm' },
  reopen: { from: ['closed', 'false_alarm'], to: 'acknowledged' },
};

/** The state after `action`; the same state for actions that change none. */
export function nextState(state: IncidentState, action: Operator): IncidentState {
  const move = MOVES[action];
  if (!move) return state;
  if (!move.from.includes(state)) {
    throw new EngineError('INCIDENT_TRANSITION_INVALID', `Cannot ${action} an incident that is ${state.replace('_', ' ')} (allowed from: ${move.from.join(', ')}).`, 409);
  }
  return move.to;
}

/** States an operator still has to deal with: the alarm queue. */
export const OPEN_STATES: readonly IncidentState[] = ['new', 'acknowledged', 'in_progress'];
