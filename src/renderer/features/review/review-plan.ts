// Review's small decisions about what to show first and what to export. Pure.
import type { CameraView } from '../../../shared/cameras';
import type { TimelineIncident } from '../../../shared/review';
import type { TimeRange } from './time-scale';

/** Cameras played side by side at most (one shared clock, one timeline row each). */
export const MAX_REVIEW_CAMERAS = 4;
/** Review opens this long before an incident, to show what led up to it. */
export const INCIDENT_PREROLL_MS = 5_000;
/** And an incident's export covers this much either side of it. */
export const INCIDENT_MARGIN_MS = 10_000;
/** Opened from the header, review starts this far back from now (the newest closed segments). */
export const OPEN_BACK_MS = 60_000;

/** Cameras to show when review opens without one: those that record, else the first. */
export function defaultCameras(cameras: readonly CameraView[]): string[] {
  const recording = cameras.filter((c) => c.options.record);
  return (recording.length > 0 ? recording : cameras).slice(0, 1).map((c) => c.id);
}

/** Puts `cameraId` first (an incident's camera leads), keeping the others up to the limit. */
export function withCameraFirst(ids: readonly string[], cameraId: string): string[] {
  return [cameraId, ...ids.filter((id) => id !== cameraId)].slice(0, MAX_REVIEW_CAMERAS);
}

/** Adds or removes a camera; adding past the limit does nothing. */
export function toggleCamera(ids: readonly string[], cameraId: string): string[] {
  if (ids.includes(cameraId)) return ids.filter((id) => id !== cameraId);
  return ids.length >= MAX_REVIEW_CAMERAS ? [...ids] : [...ids, cameraId];
}

/** An incident's span with margins, to select for export (an open one runs to `now`). */
export function incidentRange(incident: Pick<TimelineIncident, 'startedAt' | 'endedAt'>, now: number, updatedAt?: number): TimeRange {
  const end = incident.endedAt ?? Math.max(updatedAt ?? incident.startedAt, Math.min(now, incident.startedAt + 60_000));
  return { from: incident.startedAt - INCIDENT_MARGIN_MS, to: end + INCIDENT_MARGIN_MS };
}

/** What "Export…" starts with: the selection, else a minute around the playhead. */
export function exportRange(selection: TimeRange | null, t: number): TimeRange {
  return selection ?? { from: Math.round(t - 30_000), to: Math.round(t + 30_000) };
}
