// Multi-object tracker for one camera, after SORT (Bewley et al. 2016: motion-predicted boxes,
// IoU, Hungarian matching) and ByteTrack (Zhang et al. 2022: low-score detections get a second
// chance to keep an existing track). The camera is analysed at a variable rate, so lifetimes,
// motion and reporting all run on the timestamps given to update(), not on frame counts.
//
// Each update matches in three passes, each only among what the previous one left over:
//   1. trusted detections (score >= highScore) to every track, by IoU with its predicted box;
//   2. doubtful detections (lowScore..highScore) to confirmed tracks that were matched in the
//      previous update: a partly hidden person keeps their id, clutter cannot revive a lost one;
//   3. trusted detections to the tracks still unmatched, by IoU of boxes grown with the time
//      since the track was last seen (see bufferedIou): for an object's first step, before it
//      has a velocity, for motion the prediction did not foresee (a turn, a stop), and for
//      cameras sampled seconds apart.
// Trusted detections still unclaimed start new tracks.
//
// Without an appearance model, an object that moves more than about its own width between two
// analysed frames before it has a velocity cannot be linked: a walking person needs 5 fps or
// more, which the scheduler gives a camera while it has live tracks (liveTrackCount).
import type { Box, Detection, TrackedObject } from '../../../shared/detection';
import { associate } from './association';
import { bufferedIou, iou } from './box-overlap';
import { Track, type EndedTrack } from './track';
import { resolveTrackerOptions, type TrackerOptions } from './tracker-options';

export type { EndedTrack } from './track';
export type { BoxSample } from './box-trail';
export { DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './tracker-options';

export interface TrackUpdate {
  /**
   * Every live track as of this update, by trackId: 'new' (tentative) and 'active' ones with
   * the box and score of the detection matched now, 'lost' ones with their predicted box and
   * last score (draw them dashed, or not at all).
   */
  objects: TrackedObject[];
  /** Confirmed tracks that ended in this update, each exactly once. */
  ended: EndedTrack[];
  /**
   * The visible objects worth a row in storage or an alert check now: tracks just confirmed,
   * tracks that moved noticeably since they were last reported, and a keep-alive every
   * reportKeepAliveMs. A parked car is reported once and then only by keep-alives.
   */
  reportable: TrackedObject[];
}

/**
 * How much pass 3 grows boxes (fraction of their size on each side) per second since the track
 * was last seen, and at most. At 5 fps (0.2) it bridges a step of 3/4 of the object's width,
 * enough for a walking person's second detection; at half a box of growth a lost track reaches
 * about one width around its prediction and no further.
 */
const BUFFER_PER_SECOND = 1;
const MAX_BUFFER = 0.5;

export class Tracker {
  private readonly opts: TrackerOptions;
  /** Live tracks in id order (new ones are appended, ids only grow). */
  private tracks: Track[] = [];
  private nextId = 1;
  private lastUpdateAt: number | null = null;

  constructor(opts?: Partial<TrackerOptions>) {
    this.opts = resolveTrackerOptions(opts);
  }

  /** The summary so far of a live track (storage writes ongoing tracks as they go), or null. */
  summaryOf(trackId: number): EndedTrack | null {
    return this.tracks.find((track) => track.id === trackId)?.summary() ?? null;
  }

  /** Live tracks, tentative and lost ones included: while there are any, the camera deserves
   * its full detect rate. */
  get liveTrackCount(): number {
    return this.tracks.length;
  }

  /**
   * Feeds the detections of the frame taken at `timeMs`. Times must not go backwards; a frame
   * older than the one before is treated as taken at the same time (clocks do step back), so
   * predictions never run in reverse.
   */
  update(detections: readonly Detection[], timeMs: number): TrackUpdate {
    if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`);
    const at = this.lastUpdateAt === null ? timeMs : Math.max(timeMs, this.lastUpdateAt);
    const slowFrame = this.lastUpdateAt === null || at - this.lastUpdateAt >= this.opts.slowFrameMs;
    this.lastUpdateAt = at;

    // Expire before matching too, so a track lost past maxLostMs cannot take a detection back.
    const ended: EndedTrack[] = [];
    this.tracks = this.tracks.filter((track) => {
      if (!track.expired(at)) return true;
      ended.push(track.summary());
      return false;
    });

    const { high, low } = this.sortByScore(detections);
    const predicted = new Map<Track, Box>(this.tracks.map((track) => [track, track.predict(at)]));
    const overlap = (track: Track, detection: Detection) => iou(predicted.get(track)!, detection.box);
    const { iouThreshold } = this.opts;

    const first = associate(this.tracks, high, overlap, iouThreshold);
    const wasVisible = first.unmatchedTracks.filter((track) => track.state === 'active');
    const second = associate(wasVisible, low, overlap, iouThreshold);
    const keptBySecond = new Set(second.pairs.map(([track]) => track));
    const stillUnmatched = first.unmatchedTracks.filter((track) => !keptBySecond.has(track));
    const buffered = (track: Track, detection: Detection) =>
      bufferedIou(predicted.get(track)!, detection.box, Math.min(MAX_BUFFER, (BUFFER_PER_SECOND * (at - track.lastSeen)) / 1000));
    const third = associate(stillUnmatched, first.unmatchedDetections, buffered, iouThreshold);

    for (const [track, detection] of [...first.pairs, ...second.pairs, ...third.pairs]) track.hit(detection, at);
    const missed = new Set(third.unmatchedTracks);
    this.tracks = this.tracks.filter((track) => {
      if (!missed.has(track)) return true;
      // A tentative track that misses is a ghost: dropped without a summary.
      if (!track.confirmed) return false;
      track.miss();
      // Ended now rather than at the next update, which on an idle camera may be seconds away.
      if (!track.expired(at)) return true;
      ended.push(track.summary());
      return false;
    });
    for (const detection of third.unmatchedDetections) {
      this.tracks.push(new Track(this.nextId++, detection, at, slowFrame, this.opts));
    }

    const objects = this.tracks.map((track) => track.toObject(at));
    const reportable = this.tracks.filter((track) => track.takeReport(at)).map((track) => track.toObject(at));
    return { objects, ended, reportable };
  }

  /** Ends every live track, e.g. when the camera stops or detection is switched off; returns
   * the summaries of the confirmed ones. Ids keep counting up afterwards. */
  endAll(): EndedTrack[] {
    const ended = this.tracks.filter((track) => track.confirmed).map((track) => track.summary());
    this.tracks = [];
    return ended;
  }

  /** Usable detections split into trusted and doubtful; unusable boxes and scores are dropped. */
  private sortByScore(detections: readonly Detection[]): { high: Detection[]; low: Detection[] } {
    const high: Detection[] = [];
    const low: Detection[] = [];
    for (const detection of detections) {
      const [x1, y1, x2, y2] = detection.box;
      // x2 > x1 is false for NaN too; the width and height are finite only if both ends are.
      const usable = Number.isFinite(detection.score) && x2 > x1 && y2 > y1 && Number.isFinite(x2 - x1) && Number.isFinite(y2 - y1);
      if (!usable || detection.score < this.opts.lowScore) continue;
      (detection.score >= this.opts.highScore ? high : low).push(detection);
    }
    return { high, low };
  }
}
