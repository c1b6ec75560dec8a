// Review of what a camera recorded and saw: the timeline (footage, incidents, detection
// density), the segments to play and the stored tracks to draw over them, and the files
// behind the media routes. Reads only: everything here was written by recording, detection
// and the incidents service.
import { normalize, sep } from 'node:path';
import type { RangeQuery, RecordingSegmentView, ReviewTrack, Timeline, TimelineQuery } from '../../../shared/review';
import { EngineError } from '../engine-error';
import { absoluteSegmentPath } from '../recording/segment-layout';
import type { IncidentFrames } from '../snapshots/incident-frame';
import type { Db } from '../store/database';
import { TracksRepo } from '../store/tracks-repo';
import { ReviewStore } from './review-store';
import { coverageTolerance } from './coverage';
import { assembleTimeline, bucketWidth } from './timeline';

/** How long a snapshot request waits for an incident's picture still being encoded. */
const SNAPSHOT_WAIT_MS = 5000;

export interface ReviewServiceDeps {
  db: Db;
  /** True for a camera configured now; a deleted one is still reviewed while it has history. */
  cameraExists: (id: string) => boolean;
  /** The recordings folder; null when recording is off in this engine. */
  recordingsRoot: string | null;
  frames: IncidentFrames | null;
}

export class ReviewService {
  readonly store: ReviewStore;
  private readonly tracksRepo: TracksRepo;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.store = new ReviewStore(deps.db);
    this.tracksRepo = new TracksRepo(deps.db);
  }

  timeline(cameraId: string, query: TimelineQuery): Timeline {
    this.requireCamera(cameraId);
    const { from, to, buckets } = query;
    const tolerance = coverageTolerance(bucketWidth(from, to, buckets));
    return assembleTimeline({
      cameraId,
      from,
      to,
      buckets,
      coverage: this.store.coverage(cameraId, from, to, tolerance),
      incidents: this.store.incidentsIn(cameraId, from, to),
      tracks: this.store.trackSpansIn(cameraId, from, to),
    });
  }

  recordings(cameraId: string, query: RangeQuery): RecordingSegmentView[] {
    this.requireCamera(cameraId);
    return this.store.segmentsIn(cameraId, query.from, query.to, query.limit);
  }

  tracks(cameraId: string, query: RangeQuery): ReviewTrack[] {
    this.requireCamera(cameraId);
    // tracksInRange takes an inclusive end; the API's ranges are [from, to).
    return this.tracksRepo.tracksInRange(cameraId, query.from, query.to - 1, { limit: query.limit }).map((track) => ({
      key: track.trackKey,
      label: track.label,
      firstSeen: track.firstSeen,
      lastSeen: track.lastSeen,
      bestScore: track.bestScore,
      frameWidth: track.frameWidth,
      frameHeight: track.frameHeight,
      samples: track.samples,
    }));
  }

  /**
   * The file of one segment, from its index row only (the URL carries just the id), and
   * never outside the recordings folder. RECORDING_NOT_FOUND when the row is gone; the file
   * may still vanish before it is opened (retention), which the route answers the same way.
   */
  segmentFile(id: number): string {
    const row = this.deps.recordingsRoot !== null ? this.store.segmentFile(id) : null;
    if (!row) throw new EngineError('RECORDING_NOT_FOUND', `No recording with id ${id}: it was removed by retention or never existed.`, 404);
    const root = normalize(this.deps.recordingsRoot!);
    const file = normalize(absoluteSegmentPath(root, row.path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) throw new EngineError('RECORDING_NOT_FOUND', `Recording ${id} has an unusable path in the index.`, 404);
    return file;
  }

  /** The incident's full-frame snapshot; waits briefly for one still being encoded. */
  async snapshotFile(incidentId: string): Promise<string> {
    if (!this.store.incidentExists(incidentId)) throw new EngineError('RESOURCE_NOT_FOUND', `No incident with id ${incidentId}.`, 404);
    const frames = this.deps.frames;
    const file = frames ? (frames.path(incidentId) ?? (await within(frames.ready(incidentId), SNAPSHOT_WAIT_MS))) : null;
    if (!file) throw new EngineError('SNAPSHOT_NOT_FOUND', undefined, 404);
    return file;
  }

  /** RESOURCE_NOT_FOUND unless the camera exists or left footage, tracks or incidents behind. */
  private requireCamera(cameraId: string): void {
    if (this.deps.cameraExists(cameraId) || this.store.hasHistory(cameraId)) return;
    throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${cameraId}.`, 404);
  }
}

/** The promise's value, or null once `ms` passed. */
function within<T>(promise: Promise<T | null>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
