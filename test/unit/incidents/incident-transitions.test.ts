import { describe, expect, it } from 'vitest';
import type { IncidentActionRequest, IncidentState } from '../../../src/shared/incidents';
import { INCIDENT_STATES } from '../../../src/shared/incidents';
import { EngineError } from '../../../src/main/engine/engine-error';
import { nextState } from '../../../src/main/engine/incidents/incident-transitions';

type Action = IncidentActionRequest['action'];

/** Every allowed move; everything else must be refused. */
const ALLOWED: Record<Action, Partial<Record<IncidentState, IncidentState>>> = {
  acknowledge: { new: 'acknowledged' },
  start: { new: 'in_progress', acknowledged: 'in_progress' },
  close: { acknowledged: 'closed', in_progress: 'closed' },
  'false-alarm': { new: 'false_alarm', acknowledged: 'false_alarm', in_progress: 'false_alarm' },
  reopen: { closed: 'acknowledged', false_alarm: 'acknowledged' },
  note: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in_progress', closed: 'closed', false_alarm: 'false_alarm' },
  assign: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in_progress', closed: 'closed', false_alarm: 'false_alarm' },
  lock: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in_progress', closed: 'closed', false_alarm: 'false_alarm' },
  unlock: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in_progress', closed: 'closed', false_alarm: 'false_alarm' },
};

describe('incident state machine', () => {
  for (const [action, moves] of Object.entries(ALLOWED) as [Action, Partial<Record<IncidentState, IncidentState>>][]) {
    for (const state of INCIDENT_STATES) {
      const to = moves[state];
      if (to) {
        it(`${action} from ${state} -> ${to}`, () => expect(nextState(state, action)).toBe(to));
      } else {
        it(`${action} from ${state} is refused with INCIDENT_TRANSITION_INVALID (409)`, () => {
          let thrown: unknown;
          try {
            nextState(state, action);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(EngineError);
          expect(thrown).toMatchObject({ code: 'INCIDENT_TRANSITION_INVALID', status: 409 });
          expect((thrown as Error).message).toContain(action);
        });
      }
    }
  }
});
