// The review timeline of one camera: what the store returned, shaped for the chart. Pure, so
// the bucketing can be tested on its own and the store queries stay plain reads.
import type { Timeline, TimelineBucket, TimelineIncident } from '../../../shared/review';
import type { CoverageSpan } from './coverage';

/** A stored track reduced to what the density chart needs: [label, firstSeen, lastSeen]. */
export type TrackSpan = readonly [label: string, firstSeen: number, lastSeen: number];

export interface TimelineInput {
  cameraId: string;
  from: number;
  to: number;
  buckets: number;
  coverage: readonly CoverageSpan[];
  incidents: TimelineIncident[];
  tracks: Iterable<TrackSpan>;
}

/**
 * Width of one density bucket: the range split into at most `buckets` whole-ms buckets. The
 * last bucket may reach past `to`; it still only counts what overlaps [from, to).
 */
export function bucketWidth(from: number, to: number, buckets: number): number {
  return Math.max(1, Math.ceil((to - from) / Math.max(1, buckets)));
}

/**
 * Tracks per bucket and label. A track counts once in every bucket its [firstSeen, lastSeen]
 * touches, so a car parked all day shows in every bucket: the chart answers "how many
 * objects were in view then", not "how many arrived". Difference arrays per label keep it
 * linear in tracks + buckets, however long the tracks are (a week view of a parked car would
 * otherwise touch every bucket one by one).
 */
export function densityOf(tracks: Iterable<TrackSpan>, from: number, to: number, buckets: number): { bucketMs: number; density: TimelineBucket[] } {
  const bucketMs = bucketWidth(from, to, buckets);
  const count = Math.ceil((to - from) / bucketMs);
  const steps = new Map<string, Int32Array>();
  for (const [label, firstSeen, lastSeen] of tracks) {
    if (lastSeen < from || firstSeen >= to || lastSeen < firstSeen) continue;
    const first = Math.floor((Math.max(firstSeen, from) - from) / bucketMs);
    const last = Math.floor((Math.min(lastSeen, to - 1) - from) / bucketMs);
    let step = steps.get(label);
    if (!step) steps.set(label, (step = new Int32Array(count + 1)));
    step[first]! += 1;
    step[last + 1]! -= 1;
  }
  const labels = [...steps.keys()].sort();
  const running = new Int32Array(labels.length);
  const density: TimelineBucket[] = [];
  for (let i = 0; i < count; i++) {
    const byLabel: Record<string, number> = {};
    let total = 0;
    labels.forEach((label, l) => {
      const n = (running[l]! += steps.get(label)![i]!);
      if (n > 0) {
        byLabel[label] = n;
        total += n;
      }
    });
    density.push({ at: from + i * bucketMs, count: total, byLabel });
  }
  return { bucketMs, density };
}

/** The whole answer of GET /api/cameras/:id/timeline. */
export function assembleTimeline(input: TimelineInput): Timeline {
  const { bucketMs, density } = densityOf(input.tracks, input.from, input.to, input.buckets);
  return {
    cameraId: input.cameraId,
    from: input.from,
    to: input.to,
    bucketMs,
    coverage: input.coverage.map((span) => ({ from: span.startMs, to: span.endMs })),
    incidents: input.incidents,
    density,
  };
}
