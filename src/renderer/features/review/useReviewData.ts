// What review reads from the engine for one camera: the timeline of the visible range,
// the segment list and the track paths around the playhead.
import type { RecordingSegmentView, ReviewTrack, Timeline } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import { fetchWindow, reachesPresent, RECORDINGS_WINDOW, TRACKS_WINDOW } from './fetch-windows';
import type { TimeRange } from './time-scale';
import { useFetched, type Fetched } from './useFetched';

/** Wheel zoom and drags change the range many times a second: ask once it settles. */
const TIMELINE_DEBOUNCE_MS = 250;
const REFRESH_MS = 5000;
const TIMELINE_REFRESH_MS = 10_000;

export function useTimeline(client: ApiClient, cameraId: string, range: TimeRange, buckets: number): Fetched<Timeline> {
  const key = `${cameraId}|${range.from}|${range.to}|${buckets}`;
  return useFetched(key, () => client.request('GET /api/cameras/:id/timeline', { id: cameraId }, undefined, { query: { from: range.from, to: range.to, buckets } }), {
    debounceMs: TIMELINE_DEBOUNCE_MS,
    refreshMs: reachesPresent(range, Date.now()) ? TIMELINE_REFRESH_MS : null,
  });
}

/** A list and the stretch it was asked for (the previous one stays while the next loads). */
export interface Windowed<T> {
  window: TimeRange;
  items: T[];
}

export function useRecordings(client: ApiClient, cameraId: string, t: number): Fetched<Windowed<RecordingSegmentView>> {
  const window = fetchWindow(t, RECORDINGS_WINDOW);
  const load = async () => ({ window, items: await client.request('GET /api/cameras/:id/recordings', { id: cameraId }, undefined, { query: { from: window.from, to: window.to, limit: 5000 } }) });
  return useFetched(`${cameraId}|${window.from}|${window.to}`, load, { refreshMs: reachesPresent(window, Date.now()) ? REFRESH_MS : null });
}

export function useTracks(client: ApiClient, cameraId: string, t: number): Fetched<Windowed<ReviewTrack>> {
  const window = fetchWindow(t, TRACKS_WINDOW);
  const load = async () => ({ window, items: await client.request('GET /api/cameras/:id/tracks', { id: cameraId }, undefined, { query: { from: window.from, to: window.to, limit: 5000 } }) });
  return useFetched(`${cameraId}|${window.from}|${window.to}`, load, { refreshMs: reachesPresent(window, Date.now()) ? REFRESH_MS : null });
}
