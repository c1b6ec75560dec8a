// Where recorded footage resumes after a moment, when neither the segment lists around the
// playhead nor the visible timeline know: one small request per camera (the first segment
// overlapping the following week), so playback can jump a long gap instead of stopping.
import type { RecordingSegmentView } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import { DAY } from './time-scale';

/** How far ahead to look (within the API's 8-day range limit). */
export const LOOK_AHEAD_MS = 7 * DAY;

/** The earliest segment start after `t` across the cameras' answers, or null. */
export function earliestStartAfter(lists: readonly (readonly RecordingSegmentView[])[], t: number): number | null {
  let best: number | null = null;
  for (const list of lists) for (const segment of list) if (segment.startMs > t && (best === null || segment.startMs < best)) best = segment.startMs;
  return best;
}

export async function findNextFootage(client: ApiClient, cameraIds: readonly string[], t: number): Promise<number | null> {
  const from = Math.floor(t) + 1;
  const lists = await Promise.all(
    cameraIds.map((id) =>
      // A camera whose list fails is left out: the others may still have footage.
      client.request('GET /api/cameras/:id/recordings', { id }, undefined, { query: { from, to: from + LOOK_AHEAD_MS, limit: 2 } }).catch(() => [] as RecordingSegmentView[]),
    ),
  );
  return earliestStartAfter(lists, t);
}
