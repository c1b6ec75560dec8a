// Stored track paths at one moment of recorded video: each track's box interpolated between
// its samples, planned for the live overlay's painter (same look as live boxes). Pure.
import type { Box } from '../../../shared/detection';
import type { ReviewTrack } from '../../../shared/review';
import { containRect, mapBox } from '../overlay/geometry';
import type { OverlayItem, OverlayPlan } from '../overlay/plan';
import { caption, objectColour } from '../overlay/style';

/**
 * A box is drawn only this close to one of its samples: the detector samples a few times a
 * second, so a longer hole means the object was not seen then and a box would be a guess.
 */
export const MAX_SAMPLE_GAP_MS = 1000;

export interface BoxAt {
  box: Box;
  score: number;
}

/**
 * The track's box at `t`: linear between the samples around it, or the nearest sample when
 * `t` is just outside the path; null when no sample is within `maxGapMs`.
 */
export function boxAt(samples: ReviewTrack['samples'], t: number, maxGapMs = MAX_SAMPLE_GAP_MS): BoxAt | null {
  if (samples.length === 0) return null;
  // Samples are in time order: binary search for the first one at or after t.
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  const after = samples[lo];
  const before = lo > 0 ? samples[lo - 1] : undefined;
  if (after && after.t === t) return { box: after.box, score: after.score };
  if (before && after) {
    if (t - before.t > maxGapMs && after.t - t > maxGapMs) return null;
    // Between two samples far apart the object was not tracked in between: show the near one.
    if (after.t - before.t > 2 * maxGapMs) return t - before.t <= after.t - t ? { box: before.box, score: before.score } : { box: after.box, score: after.score };
    const k = (t - before.t) / (after.t - before.t);
    return { box: lerpBox(before.box, after.box, k), score: before.score + (after.score - before.score) * k };
  }
  const near = before ?? after!;
  return Math.abs(near.t - t) <= maxGapMs ? { box: near.box, score: near.score } : null;
}

function lerpBox(a: Box, b: Box, k: number): Box {
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k, a[3] + (b[3] - a[3]) * k];
}

/** The tracker's number from a storage key ("run:12" -> 12), for the caption. */
export function trackNumber(key: string): number {
  const n = Number(key.slice(key.lastIndexOf(':') + 1));
  return Number.isFinite(n) ? n : 0;
}

/**
 * Boxes of every track at wall time `t` on a `cssWidth x cssHeight` canvas over a video whose
 * picture is `videoWidth x videoHeight` (object-fit: contain, so the bars are left out).
 */
export function planTracks(tracks: readonly ReviewTrack[], t: number, cssWidth: number, cssHeight: number, videoWidth: number, videoHeight: number): OverlayPlan {
  const first = tracks[0];
  const pictureWidth = videoWidth > 0 && videoHeight > 0 ? videoWidth : (first?.frameWidth ?? 0);
  const pictureHeight = videoWidth > 0 && videoHeight > 0 ? videoHeight : (first?.frameHeight ?? 0);
  const content = containRect(cssWidth, cssHeight, pictureWidth, pictureHeight);
  const items: OverlayItem[] = [];
  for (const track of tracks) {
    if (t < track.firstSeen - MAX_SAMPLE_GAP_MS || t > track.lastSeen + MAX_SAMPLE_GAP_MS) continue;
    const at = boxAt(track.samples, t);
    if (!at) continue;
    const rect = mapBox(at.box, track.frameWidth, track.frameHeight, content);
    if (!rect) continue;
    const trackId = trackNumber(track.key);
    items.push({ rect, colour: objectColour(track.label), caption: caption({ label: track.label, score: at.score, trackId }), dashed: false, trackId });
  }
  return { content, items };
}
