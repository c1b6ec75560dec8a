// Non-maximum suppression: a detector proposes many overlapping boxes per object; keep the
// best of each cluster. Per class, so a person standing in front of a car keeps both.
import type { Box } from '../../../shared/detection';

export interface Scored {
  classId: number;
  score: number;
  box: Box;
}

export function iou(a: Box, b: Box): number {
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - overlap;
  return union > 0 ? overlap / union : 0;
}

/**
 * Class-wise NMS: highest score first; a box is dropped when it overlaps a kept box of the
 * same class by more than `iouThreshold`. Returns at most `maxKept`, best first. `candidates`
 * is sorted in place.
 */
export function suppressOverlaps<T extends Scored>(candidates: T[], iouThreshold: number, maxKept = 300): T[] {
  candidates.sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const candidate of candidates) {
    let overlapped = false;
    for (const other of kept) {
      if (other.classId === candidate.classId && iou(other.box, candidate.box) > iouThreshold) {
        overlapped = true;
        break;
      }
    }
    if (overlapped) continue;
    kept.push(candidate);
    if (kept.length >= maxKept) break;
  }
  return kept;
}
