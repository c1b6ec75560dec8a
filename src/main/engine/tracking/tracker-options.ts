// Tracker settings. The defaults suit security video analysed at 0.2-10 fps with a YOLO-class
// detector whose scores are calibrated roughly like COCO's.

export interface TrackerOptions {
  /**
   * Smallest IoU between a track's predicted box and a detection for them to be taken as the
   * same object. Default 0.3: SORT's value; lower lets neighbours steal each other's boxes,
   * higher loses objects whose box changes shape (a person bending, a door opening).
   */
  iouThreshold: number;
  /**
   * Detections scoring at least this are trusted: they are matched first and, when nothing
   * claims them, start new tracks. Default 0.5.
   */
  highScore: number;
  /**
   * Detections from here up to highScore are doubtful (ByteTrack's second pass): they may keep
   * an existing, currently visible track alive (a person half hidden by a car scores low) but
   * never start one. Detections below are ignored. Default 0.1.
   */
  lowScore: number;
  /**
   * Matched updates before a new track is confirmed ('new' -> 'active'), reported and, when it
   * goes, summarised in `ended`. A tentative track that misses one update is dropped silently:
   * one-frame ghosts (a shadow, a reflection) never reach storage. Default 2.
   */
  minHits: number;
  /**
   * When the update before came at least this long ago (or there was none, as on ByteTrack's
   * first frame), new tracks are confirmed at once. An idle camera analysed every few seconds
   * would otherwise hold an intruder's alert back until the next picture, and by then a walking
   * person has usually moved out of IoU reach, so the second hit might never come. Default
   * 1000 ms (anything slower than 1 fps).
   */
  slowFrameMs: number;
  /**
   * How long a confirmed track that is no longer matched stays 'lost', its box predicted
   * forward, so it can take back its id when the object comes out from behind a pillar. A track
   * also always survives its first missed update: on a camera analysed less often than this, a
   * single missed detection does not end it, the second one in a row does. Default 3000 ms.
   */
  maxLostMs: number;
  /**
   * A track is reported again once its centre has moved by more than this fraction of its
   * width or height, or its width or height has changed by more than this fraction, since it
   * was last reported. Well above detector jitter (a few %), so a parked car stays quiet; a
   * person walking across the picture still covers a few of their widths a second, so is
   * reported several times a second. Default 0.5.
   */
  reportMoveFraction: number;
  /** A visible track that has not been reported for this long is reported again, so storage
   * and alerts know it is still there. Default 10 000 ms. */
  reportKeepAliveMs: number;
  /** At most one box sample per this many ms in a track's trail (it grows as the trail is
   * thinned, see BoxTrail). Default 500 ms. */
  sampleEveryMs: number;
  /** At most this many box samples per track. Default 600 (5 minutes at 500 ms). */
  maxSamples: number;
}

export const DEFAULT_TRACKER_OPTIONS: Readonly<TrackerOptions> = Object.freeze({
  iouThreshold: 0.3,
  highScore: 0.5,
  lowScore: 0.1,
  minHits: 2,
  slowFrameMs: 1000,
  maxLostMs: 3000,
  reportMoveFraction: 0.5,
  reportKeepAliveMs: 10_000,
  sampleEveryMs: 500,
  maxSamples: 600,
});

/** Defaults filled in (an option given as undefined takes its default); throws RangeError on
 * settings that cannot work, so a bad config fails when the camera starts, not silently. */
export function resolveTrackerOptions(opts: Partial<TrackerOptions> = {}): TrackerOptions {
  const resolved = { ...DEFAULT_TRACKER_OPTIONS };
  for (const key of Object.keys(resolved) as (keyof TrackerOptions)[]) {
    const value = opts[key];
    if (value !== undefined) resolved[key] = value;
  }
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Tracker option ${key} must be a finite number >= 0, got ${value}`);
  }
  const { iouThreshold, highScore, lowScore, minHits, maxSamples } = resolved;
  if (iouThreshold <= 0 || iouThreshold > 1) throw new RangeError(`iouThreshold must be in (0, 1], got ${iouThreshold}`);
  if (lowScore > highScore) throw new RangeError(`lowScore (${lowScore}) must not exceed highScore (${highScore})`);
  if (!Number.isInteger(minHits) || minHits < 1) throw new RangeError(`minHits must be an integer >= 1, got ${minHits}`);
  if (!Number.isInteger(maxSamples) || maxSamples < 2) throw new RangeError(`maxSamples must be an integer >= 2, got ${maxSamples}`);
  return resolved;
}
