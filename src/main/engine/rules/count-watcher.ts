// Count rules: "three or more people in the lift lobby". One incident for the rule, not one
// per object, and it follows the number, not who makes it up: people come and go while the
// crowd stays.
import type { TrackedObject } from '../../../shared/detection';
import type { CountRule, Zone } from '../../../shared/rules';
import { DROPOUT_MS, Episode, UPDATE_EVERY_MS, type EndReason, type EpisodeEvent } from './episode';
import { polygonContains } from './polygon';
import { ruleHit, type RuleHit } from './rule-hit';
import type { Frame, RuleWatcher } from './sighting';

export class CountWatcher implements RuleWatcher {
  /** Confirmed tracks in the zone, with the last time each was seen there. */
  private readonly inZone = new Map<number, number>();
  private readonly episode: Episode;

  constructor(
    readonly rule: CountRule,
    private readonly zone: Zone,
  ) {
    // The gap is the count's hysteresis: a moment below the threshold (one person hidden
    // behind another) does not end the incident and start a new one.
    this.episode = new Episode({ minMs: rule.minDurationMs, gapMs: DROPOUT_MS, updateEveryMs: UPDATE_EVERY_MS });
  }

  frame(frame: Frame, armed: boolean): RuleHit[] {
    const live = new Set<number>();
    for (const sighting of frame.sightings) {
      const { object } = sighting;
      if (object.state === 'ended') continue;
      live.add(object.trackId);
      // A lost track keeps its place for DROPOUT_MS (below); only a sighting changes it.
      if (!sighting.seen) continue;
      const counts = sighting.confirmed && !sighting.masked && this.accepts(object) && polygonContains(this.zone.polygon, ...sighting.position);
      if (counts) this.inZone.set(object.trackId, frame.at);
      else this.inZone.delete(object.trackId);
    }
    for (const [trackId, lastSeen] of this.inZone) {
      if (!live.has(trackId) || frame.at - lastSeen >= DROPOUT_MS) this.inZone.delete(trackId);
    }
    const event = this.episode.step(this.inZone.size >= this.rule.atLeast, frame.at, armed);
    return event ? [this.hit(event, frame.at)] : [];
  }

  stop(at: number, reason: EndReason): RuleHit[] {
    const event = this.episode.stop(reason);
    this.inZone.clear();
    return event ? [this.hit(event, at)] : [];
  }

  private accepts(object: TrackedObject): boolean {
    return this.rule.classes.includes(object.label);
  }

  private hit(event: EpisodeEvent, at: number): RuleHit {
    const trackIds = [...this.inZone.keys()].sort((a, b) => a - b);
    return ruleHit(this.rule, event, at, { objects: trackIds.length, details: { zoneId: this.zone.id, trackIds } });
  }
}
