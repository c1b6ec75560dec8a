// Where a tracked box should be at a given time: constant velocity of its centre and size,
// fitted to its recent observations. Frames arrive at a variable rate (an idle camera every
// few seconds, an active one at 5-10 fps), so everything is per millisecond and scaled by
// the real time elapsed, never per frame.
import type { Box } from '../../../shared/detection';

interface Observation {
  at: number;
  cx: number;
  cy: number;
  w: number;
  h: number;
}

type Velocity = Omit<Observation, 'at'>;

/** Observations kept for the velocity fit. */
const HISTORY = 10;
/** The fit reaches back just far enough to span this long (at least two observations), so a
 * turn shows up in the velocity within a second, yet at 5 fps it still averages six
 * observations' jitter; on a camera analysed seconds apart it is the last two. */
const VELOCITY_SPAN_MS = 1000;
/**
 * Ridge prior pulling the fitted velocity towards zero, in ms². Detector boxes jitter by a few
 * pixels, so two detections 100 ms apart "show" tens of pixels a second of motion that is not
 * there; predicted over a 1.5 s occlusion that throws the box off its object. With this prior
 * two observations 200 ms apart are trusted half, six at 5 fps 97 %, and two a second or
 * more apart almost fully.
 */
const VELOCITY_PRIOR_MS2 = 20_000;
/** Predicted size stays within this factor of the last observed one: size velocity comes
 * mostly from boxes cropped by occlusion, and extrapolating it for seconds collapses a box. */
const MAX_SIZE_DRIFT = 1.5;

export class MotionModel {
  private readonly history: Observation[] = [];
  private velocity: Velocity = { cx: 0, cy: 0, w: 0, h: 0 };

  constructor(box: Box, at: number) {
    this.observe(box, at);
  }

  /** Time of the latest observation. */
  get lastAt(): number {
    return this.latest().at;
  }

  observe(box: Box, at: number): void {
    this.history.push({ at, cx: (box[0] + box[2]) / 2, cy: (box[1] + box[3]) / 2, w: box[2] - box[0], h: box[3] - box[1] });
    if (this.history.length > HISTORY) this.history.shift();
    this.velocity = this.fitVelocity();
  }

  /** The box expected at `at`; before the latest observation it is that observation. */
  predict(at: number): Box {
    const last = this.latest();
    const dt = Math.max(0, at - last.at);
    const v = this.velocity;
    const cx = last.cx + v.cx * dt;
    const cy = last.cy + v.cy * dt;
    const w = clamp(last.w + v.w * dt, last.w / MAX_SIZE_DRIFT, last.w * MAX_SIZE_DRIFT);
    const h = clamp(last.h + v.h * dt, last.h / MAX_SIZE_DRIFT, last.h * MAX_SIZE_DRIFT);
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  }

  private latest(): Observation {
    // The constructor observes once, so the history is never empty.
    return this.history[this.history.length - 1]!;
  }

  /** Least-squares slope of each coordinate against time over the recent observations. */
  private fitVelocity(): Velocity {
    const history = this.history;
    const lastAt = this.latest().at;
    let first = history.length - 1;
    while (first > 0 && lastAt - history[first]!.at < VELOCITY_SPAN_MS) first--;
    const count = history.length - first;
    if (count < 2) return { cx: 0, cy: 0, w: 0, h: 0 };

    const mean: Observation = { at: 0, cx: 0, cy: 0, w: 0, h: 0 };
    for (let i = first; i < history.length; i++) {
      const p = history[i]!;
      mean.at += p.at / count;
      mean.cx += p.cx / count;
      mean.cy += p.cy / count;
      mean.w += p.w / count;
      mean.h += p.h / count;
    }
    let spread = VELOCITY_PRIOR_MS2;
    const slope: Velocity = { cx: 0, cy: 0, w: 0, h: 0 };
    for (let i = first; i < history.length; i++) {
      const p = history[i]!;
      const dt = p.at - mean.at;
      spread += dt * dt;
      slope.cx += dt * (p.cx - mean.cx);
      slope.cy += dt * (p.cy - mean.cy);
      slope.w += dt * (p.w - mean.w);
      slope.h += dt * (p.h - mean.h);
    }
    return { cx: slope.cx / spread, cy: slope.cy / spread, w: slope.w / spread, h: slope.h / spread };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
