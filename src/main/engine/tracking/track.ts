// One object followed over time: its identity, lifecycle, best view, path, and what was last
// reported about it. The Tracker decides which detection is whose; a Track only records it.
import type { Box, Detection, TrackedObject } from '../../../shared/detection';
import { BoxTrail, type BoxSample } from './box-trail';
import { MotionModel } from './motion';
import type { TrackerOptions } from './tracker-options';

/** What storage keeps of a track once it has ended. */
export interface EndedTrack {
  trackId: number;
  label: string;
  classId: number;
  /** timeMs of the first and last updates that matched the track. */
  firstSeen: number;
  lastSeen: number;
  /** The highest-scoring detection, the frame to take a thumbnail from. */
  bestScore: number;
  bestBox: Box;
  bestAt: number;
  /** The path, oldest first, ending with the box at lastSeen. */
  samples: BoxSample[];
}

/** 'ended' tracks leave the tracker, so a live one is never in that state. */
export type LiveTrackState = Exclude<TrackedObject['state'], 'ended'>;

export class Track {
  readonly label: string;
  readonly classId: number;
  readonly firstSeen: number;
  state: LiveTrackState;
  private hits = 1;
  /** Updates missed since the last match. */
  private missed = 0;
  private lastSeenAt: number;
  private last: Detection;
  private best: { score: number; box: Box; at: number };
  private readonly motion: MotionModel;
  private readonly trail: BoxTrail;
  private reported: { at: number; box: Box } | null = null;

  constructor(
    readonly id: number,
    detection: Detection,
    at: number,
    confirmed: boolean,
    private readonly opts: TrackerOptions,
  ) {
    this.label = detection.label;
    this.classId = detection.classId;
    this.firstSeen = at;
    this.lastSeenAt = at;
    this.last = { ...detection, box: [...detection.box] };
    this.best = { score: detection.score, box: [...detection.box], at };
    this.state = confirmed || opts.minHits <= 1 ? 'active' : 'new';
    this.motion = new MotionModel(detection.box, at);
    this.trail = new BoxTrail(opts.sampleEveryMs, opts.maxSamples);
    this.trail.add(at, detection.box);
  }

  get confirmed(): boolean {
    return this.state !== 'new';
  }

  get lastSeen(): number {
    return this.lastSeenAt;
  }

  /** Where the object should be at `at`, for matching and for drawing a lost track. */
  predict(at: number): Box {
    return this.motion.predict(at);
  }

  hit(detection: Detection, at: number): void {
    this.hits++;
    this.missed = 0;
    this.lastSeenAt = at;
    this.last = { ...detection, box: [...detection.box] };
    if (detection.score > this.best.score) this.best = { score: detection.score, box: [...detection.box], at };
    if (this.state === 'lost' || this.hits >= this.opts.minHits) this.state = 'active';
    this.motion.observe(detection.box, at);
    this.trail.add(at, detection.box);
  }

  /** Not matched in this update. Only confirmed tracks coast; the tracker drops tentative ones. */
  miss(): void {
    this.state = 'lost';
    this.missed++;
  }

  /**
   * Unmatched for longer than maxLostMs, counted from the last match, and through at least two
   * updates: on a camera analysed every few seconds a single missed detection is forgiven.
   */
  expired(at: number): boolean {
    return this.missed >= 2 && at - this.lastSeenAt > this.opts.maxLostMs;
  }

  /**
   * Whether storage and alerts should hear about the track in this update, and if so remember
   * that they did: the first time it is confirmed and visible, after it has moved or resized
   * noticeably since the last report, and every reportKeepAliveMs while it stays visible.
   */
  takeReport(at: number): boolean {
    if (this.state !== 'active' || this.lastSeenAt !== at) return false;
    const due =
      this.reported === null ||
      at - this.reported.at >= this.opts.reportKeepAliveMs ||
      movedNoticeably(this.reported.box, this.last.box, this.opts.reportMoveFraction);
    if (due) this.reported = { at, box: [...this.last.box] };
    return due;
  }

  /** The track as the UI sees it at `at`: the matched detection, or the predicted box while lost. */
  toObject(at: number): TrackedObject {
    const box: Box = this.state === 'lost' ? this.predict(at) : [...this.last.box];
    return { label: this.label, classId: this.classId, score: this.last.score, box, trackId: this.id, state: this.state };
  }

  summary(): EndedTrack {
    return {
      trackId: this.id,
      label: this.label,
      classId: this.classId,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeenAt,
      bestScore: this.best.score,
      bestBox: [...this.best.box],
      bestAt: this.best.at,
      samples: this.trail.finish(this.lastSeenAt, this.last.box),
    };
  }
}

/** Centre moved by more than `fraction` of the box's width or height, or either side changed
 * by more than that fraction. */
function movedNoticeably(from: Box, to: Box, fraction: number): boolean {
  const w = Math.max(from[2] - from[0], 1);
  const h = Math.max(from[3] - from[1], 1);
  const dx = Math.abs(to[0] + to[2] - from[0] - from[2]) / 2;
  const dy = Math.abs(to[1] + to[3] - from[1] - from[3]) / 2;
  const dw = Math.abs(to[2] - to[0] - w);
  const dh = Math.abs(to[3] - to[1] - h);
  return dx > fraction * w || dy > fraction * h || dw > fraction * w || dh > fraction * h;
}
