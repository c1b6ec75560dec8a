// What the rule evaluator hands to incident storage: one 'start', any number of 'update's and
// one 'end' per incident, all carrying the rule's id so storage can key the incident on
// (rule, track) or, for camera-wide rules, on the rule alone.
import type { CameraState } from '../../../shared/cameras';
import type { Box } from '../../../shared/detection';
import type { Rule, RuleType, Severity } from '../../../shared/rules';
import type { EndReason, EpisodeEvent, HitPhase } from './episode';

export type { EndReason, HitPhase } from './episode';

export interface RuleHitDetails {
  type: RuleType;
  /** When the condition began: the entry into the zone, the camera going down. */
  since: number;
  /** How long it has held, up to this hit. */
  durationMs: number;
  /** Only on 'end'. */
  reason?: EndReason;
  zoneId?: string;
  lineId?: string;
  /** Object class, or the classifier's label. */
  label?: string;
  /** Detection score, or the classifier's score. */
  score?: number;
  /** The object's latest box in pixels of the analysed picture, for a snapshot's overlay. */
  box?: Box;
  frameWidth?: number;
  frameHeight?: number;
  /** Line crossings: which way this one went. */
  direction?: 'a-to-b' | 'b-to-a';
  /** Count rules: the tracks counted. */
  trackIds?: number[];
  cameraState?: CameraState;
}

export interface RuleHit {
  ruleId: string;
  /** For per-object rules (presence, loitering, line crossing); absent for camera-wide ones. */
  trackId?: number;
  phase: HitPhase;
  at: number;
  severity: Severity;
  /** Count rules: how many objects were counted. */
  objects?: number;
  details: RuleHitDetails;
}

export function ruleHit(
  rule: Rule,
  event: EpisodeEvent,
  at: number,
  extra: { trackId?: number; objects?: number; details?: Omit<RuleHitDetails, 'type' | 'since' | 'durationMs' | 'reason'> } = {},
): RuleHit {
  const hit: RuleHit = {
    ruleId: rule.id,
    phase: event.phase,
    at,
    severity: rule.severity,
    details: {
      type: rule.type,
      since: event.since,
      durationMs: (event.phase === 'end' ? event.lastHeldAt : at) - event.since,
      ...(event.reason ? { reason: event.reason } : {}),
      ...extra.details,
    },
  };
  if (extra.trackId !== undefined) hit.trackId = extra.trackId;
  if (extra.objects !== undefined) hit.objects = extra.objects;
  return hit;
}
