// What goes into one export, gathered from where the engine keeps it: the recording index
// (segment files), the tracks store, the incident and its audit trail, and its snapshots.
// The exporter itself (export-evidence.ts) takes only these plain values.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident, IncidentAction } from '../../../shared/incidents';
import { absoluteSegmentPath } from '../recording/segment-layout';
import type { Segment } from '../recording/segments-repo';
import { incidentSnapshotPath } from '../snapshots/incident-frame';
import type { StoredTrack } from '../store/tracks-repo';
import type { EvidenceAction, EvidenceTrack } from './evidence-tables';
import type { ExportCamera, ExportSnapshot } from './export-evidence';

/** Tracks beyond this many per camera are left out of tracks.json (a day of a busy street). */
const MAX_TRACKS_PER_CAMERA = 50_000;

export interface ExportSources {
  recording: { root: string; segmentsInRange(cameraId: string, fromMs: number, toMs: number): Segment[] } | null;
  tracks: { tracksInRange(cameraId: string, fromMs: number, toMs: number, query?: { limit?: number }): StoredTrack[] };
  /** The data dir's snapshots/ folder. */
  snapshotsDir: string;
  cameraName(id: string): string | null;
}

export interface ExportScope {
  cameraIds: readonly string[];
  from: number;
  to: number;
  incident: (Incident & { actions: IncidentAction[] }) | null;
}

export interface ExportInputs {
  cameras: ExportCamera[];
  tracks: EvidenceTrack[];
  actions: EvidenceAction[];
  snapshots: ExportSnapshot[];
}

export function collectExportInputs(sources: ExportSources, scope: ExportScope): ExportInputs {
  const { from, to, incident } = scope;
  const cameras = scope.cameraIds.map((id) => ({
    id,
    // A deleted camera's incident still names it.
    name: sources.cameraName(id) ?? (incident?.cameraId === id ? incident.cameraName : id),
    segments: cameraSegments(sources, id, from, to),
  }));
  const tracks = scope.cameraIds.flatMap((id) => sources.tracks.tracksInRange(id, from, to, { limit: MAX_TRACKS_PER_CAMERA }));
  const actions: EvidenceAction[] = (incident?.actions ?? []).map((a) => ({ at: a.at, who: a.who, what: a.action, details: a.note }));
  return { cameras, tracks, actions, snapshots: incident ? incidentSnapshots(sources.snapshotsDir, incident) : [] };
}

/** The camera's segments overlapping the range, as files on disk. */
export function cameraSegments(sources: Pick<ExportSources, 'recording'>, cameraId: string, from: number, to: number): ExportCamera['segments'] {
  const recording = sources.recording;
  if (!recording) return [];
  return recording.segmentsInRange(cameraId, from, to).map((s) => ({ path: absoluteSegmentPath(recording.root, s.path), startMs: s.startMs, endMs: s.endMs }));
}

/**
 * The incident's best-view thumbnail (of its track) and the full frame with boxes taken when it
 * was raised, whichever exist. A thumbnail retention already removed is left out rather than
 * failing the export: the footage is the evidence, the thumbnail a convenience.
 */
function incidentSnapshots(snapshotsDir: string, incident: Incident): ExportSnapshot[] {
  const found: ExportSnapshot[] = [];
  const frame = incidentSnapshotPath(snapshotsDir, incident.id);
  if (frame) found.push({ name: 'incident-frame.jpg', path: frame });
  if (incident.snapshotRef && !incident.snapshotRef.split('/').includes('..')) {
    const thumbnail = join(snapshotsDir, ...incident.snapshotRef.split('/'));
    if (existsSync(thumbnail)) found.push({ name: 'best-view.jpg', path: thumbnail });
  }
  return found;
}
