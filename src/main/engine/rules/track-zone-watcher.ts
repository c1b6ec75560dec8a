// Presence and loitering: per object, time in a zone. They differ only in how long is too
// long, and in presence's score floor.
import type { TrackedObject } from '../../../shared/detection';
import type { LoiteringRule, PresenceRule, Zone } from '../../../shared/rules';
import { DROPOUT_MS, Episode, UPDATE_EVERY_MS, type EndReason, type EpisodeEvent } from './episode';
import { polygonContains } from './polygon';
import { ruleHit, type RuleHit } from './rule-hit';
import type { Frame, RuleWatcher } from './sighting';

interface Followed {
  episode: Episode;
  /** The object as last seen in the zone, for the hit's label, score and box. */
  last: TrackedObject;
}

export class TrackZoneWatcher implements RuleWatcher {
  private readonly followed = new Map<number, Followed>();
  private readonly minMs: number;
  private frameSize: { frameWidth: number; frameHeight: number } = { frameWidth: 0, frameHeight: 0 };

  constructor(
    readonly rule: PresenceRule | LoiteringRule,
    private readonly zone: Zone,
  ) {
    // Loitering's dwell runs from the entry, through short dropouts, exactly like presence's wait.
    this.minMs = rule.type === 'presence' ? rule.minDurationMs : rule.dwellMs;
  }

  frame(frame: Frame, armed: boolean): RuleHit[] {
    const hits: RuleHit[] = [];
    const live = new Set<number>();
    this.frameSize = { frameWidth: frame.frameWidth, frameHeight: frame.frameHeight };
    for (const sighting of frame.sightings) {
      const { object } = sighting;
      if (object.state === 'ended') continue;
      live.add(object.trackId);
      const holds = sighting.seen && !sighting.masked && this.accepts(object) && polygonContains(this.zone.polygon, ...sighting.position);
      let followed = this.followed.get(object.trackId);
      if (!followed) {
        if (!holds) continue;
        followed = { episode: new Episode({ minMs: this.minMs, gapMs: DROPOUT_MS, updateEveryMs: UPDATE_EVERY_MS }), last: object };
        this.followed.set(object.trackId, followed);
      }
      if (holds) followed.last = object;
      const event = followed.episode.step(holds, frame.at, armed, sighting.confirmed);
      if (event) hits.push(this.hit(event, frame.at, followed.last));
      if (!followed.episode.active) this.followed.delete(object.trackId);
    }
    // A track the tracker no longer reports has ended: nothing will bring it back.
    for (const [trackId, followed] of this.followed) {
      if (live.has(trackId)) continue;
      const event = followed.episode.stop('track-ended');
      if (event) hits.push(this.hit(event, frame.at, followed.last));
      this.followed.delete(trackId);
    }
    return hits;
  }

  stop(at: number, reason: EndReason): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const followed of this.followed.values()) {
      const event = followed.episode.stop(reason);
      if (event) hits.push(this.hit(event, at, followed.last));
    }
    this.followed.clear();
    return hits;
  }

  private accepts(object: TrackedObject): boolean {
    if (!this.rule.classes.includes(object.label)) return false;
    return this.rule.type !== 'presence' || object.score >= this.rule.minScore;
  }

  private hit(event: EpisodeEvent, at: number, object: TrackedObject): RuleHit {
    return ruleHit(this.rule, event, at, {
      trackId: object.trackId,
      details: { zoneId: this.zone.id, label: object.label, score: object.score, box: [...object.box], ...this.frameSize },
    });
  }
}
