// One round of matching between tracks and detections: pairs are scored by box overlap, never
// across classes (a person walking past a parked car must not become the car), and the
// pairing with the largest total overlap wins (see assignment.ts).
import { minCostAssignment } from './assignment';

export interface Association<T, D> {
  pairs: [T, D][];
  unmatchedTracks: T[];
  unmatchedDetections: D[];
}

/**
 * Pairs tracks with detections of the same label whose `overlap` is at least `minOverlap`.
 * Cost is 1 - overlap, and 1 for a pair that is not allowed, the same as no overlap at all, so
 * the solver maximises the summed overlap of allowed pairs and never trades a clear match for
 * two marginal ones just to pair more tracks.
 */
export function associate<T extends { label: string }, D extends { label: string }>(
  tracks: readonly T[],
  detections: readonly D[],
  overlap: (track: T, detection: D) => number,
  minOverlap: number,
): Association<T, D> {
  const rows = tracks.length;
  const cols = detections.length;
  const cost = new Float64Array(rows * cols).fill(1);
  const allowed = new Uint8Array(rows * cols);
  tracks.forEach((track, r) => {
    detections.forEach((detection, c) => {
      if (track.label !== detection.label) return;
      const value = overlap(track, detection);
      if (value < minOverlap) return;
      cost[r * cols + c] = 1 - value;
      allowed[r * cols + c] = 1;
    });
  });

  const pairs: [T, D][] = [];
  const takenDetections = new Uint8Array(cols);
  const unmatchedTracks: T[] = [];
  const rowToCol = minCostAssignment(cost, rows, cols);
  tracks.forEach((track, r) => {
    const c = rowToCol[r]!;
    if (c >= 0 && allowed[r * cols + c]) {
      pairs.push([track, detections[c]!]);
      takenDetections[c] = 1;
    } else {
      unmatchedTracks.push(track);
    }
  });
  const unmatchedDetections = detections.filter((_, c) => !takenDetections[c]);
  return { pairs, unmatchedTracks, unmatchedDetections };
}
