// Classifier rules: a clip classifier (violence, a fall) scores short clips of the whole
// picture or of one zone's crop, a score every second or two. The rule holds while the
// scores for its label and region stay at or above the threshold.
import type { ClassifierRule, Zone } from '../../../shared/rules';
import { Episode, UPDATE_EVERY_MS, type EndReason, type EpisodeEvent } from './episode';
import { polygonContains } from './polygon';
import { ruleHit, type RuleHit } from './rule-hit';
import type { ClassifierScore, Frame, RuleWatcher } from './sighting';

/**
 * How long without a score at or above the threshold ends the incident. Longer than the
 * object rules' gap because scores come per clip, not per frame: one quiet clip in a fight
 * is not the end of it, and if the classifier stops scoring altogether the incident still
 * ends (the evaluator ticks this on every frame and camera status).
 */
export const CLASSIFIER_GAP_MS = 10_000;

export class ClassifierWatcher implements RuleWatcher {
  private readonly episode: Episode;
  private lastScore = 0;

  constructor(
    readonly rule: ClassifierRule,
    /** The rule's zone; null for a whole-picture rule. */
    private readonly zone: Zone | null,
  ) {
    this.episode = new Episode({ minMs: rule.minDurationMs, gapMs: CLASSIFIER_GAP_MS, updateEveryMs: UPDATE_EVERY_MS });
  }

  classifierScore(score: ClassifierScore, armed: boolean): RuleHit[] {
    if (score.label !== this.rule.label || !this.covers(score)) return [];
    const holds = score.score >= this.rule.threshold;
    if (holds) this.lastScore = score.score;
    const event = this.episode.step(holds, score.at, armed);
    return event ? [this.hit(event, score.at)] : [];
  }

  /** Frames carry no score, but they are the clock that ends an incident whose scores stopped. */
  frame(frame: Frame, armed: boolean): RuleHit[] {
    return this.tick(frame.at, armed);
  }

  cameraStatus(_state: unknown, at: number, armed: boolean): RuleHit[] {
    return this.tick(at, armed);
  }

  stop(at: number, reason: EndReason): RuleHit[] {
    const event = this.episode.stop(reason);
    return event ? [this.hit(event, at)] : [];
  }

  private tick(at: number, armed: boolean): RuleHit[] {
    const event = this.episode.step(false, at, armed);
    return event ? [this.hit(event, at)] : [];
  }

  /** A zone rule takes the scores of a crop centred in its zone; a whole-picture rule those of the whole picture. */
  private covers({ zoneBox }: ClassifierScore): boolean {
    if (!this.zone) return zoneBox === undefined;
    if (!zoneBox) return false;
    return polygonContains(this.zone.polygon, (zoneBox[0] + zoneBox[2]) / 2, (zoneBox[1] + zoneBox[3]) / 2);
  }

  private hit(event: EpisodeEvent, at: number): RuleHit {
    return ruleHit(this.rule, event, at, {
      details: { label: this.rule.label, score: this.lastScore, ...(this.zone ? { zoneId: this.zone.id } : {}) },
    });
  }
}
