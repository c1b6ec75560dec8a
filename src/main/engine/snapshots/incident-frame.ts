// The picture of an incident: the whole analysed frame of its camera at the moment it was
// raised, every tracked object boxed and the incident's own one highlighted. Review shows it
// in the incident's detail and alerts attach it to their messages.
//
// The latest analysed picture of each camera is kept by reference (the detector hands over a
// fresh buffer per picture, so nothing is copied per frame); only a raised incident pays for
// a copy to draw on and one JPEG encode, through the same queued FFmpeg encoder as the track
// thumbnails. The file lands at a path derived from the incident id alone, so no schema
// change is needed to find it: snapshots/incidents/<incident id>.jpg.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Box, TrackedObject } from '../../../shared/detection';
import type { Incident } from '../../../shared/incidents';
import type { TracksEvent } from '../detect/detection-service';
import type { RawFrame } from '../detect/pnm-frames';
import { drawIncidentFrame, type FramedBox } from './incident-frame-boxes';
import { SnapshotStore } from './snapshot-store';

/** Incident ids are UUIDs; anything else never becomes part of a path. */
const INCIDENT_ID = /^[A-Za-z0-9-]{1,64}$/;
/**
 * A camera-offline incident is raised after its picture stopped: the last picture before is
 * what an operator wants (a covered lens, a turned camera), but not one from long ago.
 */
export const MAX_PICTURE_AGE_MS = 10 * 60_000;

/** The snapshot's key in the snapshot store: `incidents/<id>.jpg`, or null for an unusable id. */
export function incidentSnapshotRef(incidentId: string): string | null {
  return INCIDENT_ID.test(incidentId) ? `incidents/${incidentId}.jpg` : null;
}

/** The snapshot file of an incident under the data dir's `snapshots/` folder, or null when there is none (yet). */
export function incidentSnapshotPath(snapshotsDir: string, incidentId: string): string | null {
  const ref = incidentSnapshotRef(incidentId);
  if (!ref) return null;
  const file = join(snapshotsDir, ref);
  return existsSync(file) ? file : null;
}

interface LatestPicture {
  frame: RawFrame;
  /** From analysed-picture pixels to the source pixels the boxes are in. */
  scale: { x: number; y: number };
  objects: readonly TrackedObject[];
}

export interface IncidentFramesOptions {
  /** The data dir's snapshots folder (shared with the track thumbnails). */
  snapshotsDir: string;
  /** No FFmpeg, no JPEG: incidents then have no snapshot. */
  ffmpegPath: string | null;
  log: (line: string) => void;
  now?: () => number;
}

export class IncidentFrames {
  private readonly latest = new Map<string, LatestPicture>();
  private readonly pending = new Map<string, Promise<string | null>>();
  private readonly store: SnapshotStore | null;
  private readonly now: () => number;

  constructor(private readonly options: IncidentFramesOptions) {
    this.now = options.now ?? Date.now;
    this.store = options.ffmpegPath ? new SnapshotStore({ dir: options.snapshotsDir, ffmpegPath: options.ffmpegPath, log: options.log, maxQueue: 16 }) : null;
  }

  /** Every analysed picture: kept by reference as its camera's latest. */
  observe(event: TracksEvent): void {
    // A stopping camera reports its last tracks with an empty picture: keep the one before.
    if (event.frame.channels !== 3 || event.frame.width === 0 || event.frame.data.length === 0) return;
    this.latest.set(event.cameraId, { frame: event.frame, scale: event.scale, objects: event.update.objects });
  }

  /** The camera was deleted: its picture goes. */
  forget(cameraId: string): void {
    this.latest.delete(cameraId);
  }

  /**
   * An incident was raised: snapshot its camera. Rules raise incidents while the detector's
   * 'tracks' event is being delivered, possibly before `observe` has seen that very picture;
   * a microtask runs once every listener of the event has, so the picture is the one that
   * raised the incident.
   */
  capture(incident: Incident): void {
    if (!this.store) return;
    const done = new Promise<string | null>((resolve) => queueMicrotask(() => this.snap(incident, resolve)));
    this.pending.set(incident.id, done);
    void done.then(() => this.pending.delete(incident.id));
  }

  /** The incident's snapshot file, or null (none was taken, or it is still being encoded). */
  path(incidentId: string): string | null {
    return incidentSnapshotPath(this.options.snapshotsDir, incidentId);
  }

  /** Like `path`, but waits for a snapshot still being encoded (alerts sent at raise time). */
  async ready(incidentId: string): Promise<string | null> {
    await this.pending.get(incidentId);
    return this.path(incidentId);
  }

  /** Engine shutdown: queued encodes are dropped. */
  stop(): void {
    this.store?.stop();
    this.latest.clear();
  }

  private snap(incident: Incident, resolve: (ref: string | null) => void): void {
    const ref = incidentSnapshotRef(incident.id);
    const picture = this.latest.get(incident.cameraId);
    if (!ref || !picture || this.now() - picture.frame.at > MAX_PICTURE_AGE_MS) {
      resolve(null);
      return;
    }
    try {
      const drawn = drawIncidentFrame(picture.frame, framedBoxes(incident, picture));
      this.store!.save(drawn, ref, resolve);
    } catch (error) {
      this.options.log(`incident ${incident.id}: snapshot not taken: ${(error as Error).message}`);
      resolve(null);
    }
  }
}

/**
 * The boxes to draw, in the analysed picture's pixels: every object the tracker sees in it,
 * the incident's own track highlighted. When that track is not in the picture (it was just
 * lost), the box the rule saw (details.box, source pixels) stands in for it.
 */
export function framedBoxes(incident: Pick<Incident, 'trackId' | 'details'>, picture: Pick<LatestPicture, 'scale' | 'objects'>): FramedBox[] {
  const toPicture = (box: readonly number[]): Box => [box[0]! / picture.scale.x, box[1]! / picture.scale.y, box[2]! / picture.scale.x, box[3]! / picture.scale.y];
  const boxes: FramedBox[] = picture.objects
    .filter((object) => object.state !== 'lost' && object.state !== 'ended')
    .map((object) => ({ box: toPicture(object.box), highlight: incident.trackId !== null && object.trackId === incident.trackId }));
  const ruleBox = incident.details.box;
  if (incident.trackId !== null && !boxes.some((b) => b.highlight) && Array.isArray(ruleBox) && ruleBox.length === 4 && ruleBox.every((v) => typeof v === 'number')) {
    boxes.push({ box: toPicture(ruleBox as number[]), highlight: true });
  }
  return boxes;
}
