// Tripwires: one incident per crossing, per track, in the configured direction.
//
// A feet point standing on the line jitters across it by a pixel or two every frame; taken at
// face value that is a crossing every frame. So a side only counts once the point is clearly
// on it, beyond a margin, and a crossing is a change of clear side whose movement (from the
// last clear point to this one) passes through the segment, not round one of its ends.
import type { TrackedObject } from '../../../shared/detection';
import type { CrossingDirection, Line, LineCrossingRule } from '../../../shared/rules';
import type { EndReason, EpisodeEvent } from './episode';
import { segmentCrossing, signedDistance, type LineSide, type Pixel } from './line-side';
import { ruleHit, type RuleHit } from './rule-hit';
import type { Frame, RuleWatcher } from './sighting';

/**
 * The margin: a share of the picture's shorter side, so a small box far away still needs a
 * visible step, or a share of the object's own width when that is more, because detector
 * jitter grows with the box.
 */
const MARGIN_OF_PICTURE = 0.01;
const MARGIN_OF_BOX = 0.1;

interface Crossing {
  direction: 'a-to-b' | 'b-to-a';
  at: number;
  object: TrackedObject;
}

interface FollowedTrack {
  side: LineSide;
  /** Where the track last stood clearly on `side`, in pixels. */
  clear: Pixel;
  /** A crossing by a track the tracker had not confirmed yet, reported once it is. */
  pending: Crossing | null;
}

export class LineWatcher implements RuleWatcher {
  private readonly tracks = new Map<number, FollowedTrack>();
  private readonly direction: CrossingDirection;

  constructor(
    readonly rule: LineCrossingRule,
    private readonly line: Line,
  ) {
    this.direction = rule.direction ?? line.direction;
  }

  frame(frame: Frame, armed: boolean): RuleHit[] {
    const { frameWidth: width, frameHeight: height } = frame;
    const [[x1, y1], [x2, y2]] = this.line.points;
    const p1: Pixel = [x1 * width, y1 * height];
    const p2: Pixel = [x2 * width, y2 * height];
    const hits: RuleHit[] = [];
    const live = new Set<number>();
    for (const sighting of frame.sightings) {
      const { object } = sighting;
      if (object.state === 'ended') continue;
      live.add(object.trackId);
      // A lost track's predicted box is not evidence that anyone crossed anything.
      if (!sighting.seen) continue;
      if (sighting.masked || !this.rule.classes.includes(object.label)) {
        // Forget the side: coming out of a mask is not a crossing from where it went in.
        this.tracks.delete(object.trackId);
        continue;
      }
      const point: Pixel = [sighting.position[0] * width, sighting.position[1] * height];
      const margin = Math.max(MARGIN_OF_PICTURE * Math.min(width, height), MARGIN_OF_BOX * (object.box[2] - object.box[0]));
      const distance = signedDistance(p1, p2, point);
      const followed = this.tracks.get(object.trackId);
      if (Math.abs(distance) > margin) {
        const side: LineSide = distance > 0 ? 'a' : 'b';
        if (!followed) {
          this.tracks.set(object.trackId, { side, clear: point, pending: null });
        } else {
          const direction = side === followed.side ? null : segmentCrossing(p1, p2, followed.clear, point);
          if (direction && (this.direction === 'both' || this.direction === direction)) {
            followed.pending = { direction, at: frame.at, object };
          }
          followed.side = side;
          followed.clear = point;
        }
      }
      const pending = this.tracks.get(object.trackId)?.pending;
      if (pending && sighting.confirmed) {
        this.tracks.get(object.trackId)!.pending = null;
        // A crossing while disarmed is simply not an incident.
        if (armed) hits.push(...this.crossingHits(pending, frame));
      }
    }
    for (const trackId of this.tracks.keys()) if (!live.has(trackId)) this.tracks.delete(trackId);
    return hits;
  }

  stop(_at: number, _reason: EndReason): RuleHit[] {
    // Crossings end as they start: nothing is ever left open.
    this.tracks.clear();
    return [];
  }

  /** A crossing is a moment: its incident starts and ends in the same frame. */
  private crossingHits(crossing: Crossing, frame: Frame): RuleHit[] {
    const { object } = crossing;
    const details = {
      lineId: this.line.id,
      direction: crossing.direction,
      label: object.label,
      score: object.score,
      box: [...object.box] as TrackedObject['box'],
      frameWidth: frame.frameWidth,
      frameHeight: frame.frameHeight,
    };
    const start: EpisodeEvent = { phase: 'start', since: crossing.at, lastHeldAt: crossing.at };
    const end: EpisodeEvent = { ...start, phase: 'end', reason: 'instant' };
    return [start, end].map((event) => ruleHit(this.rule, event, frame.at, { trackId: object.trackId, details }));
  }
}
