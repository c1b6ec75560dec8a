// Keeps what the tracker saw: one row per track, written as the track goes (new, moved,
// keep-alive) and finished when it ends, plus a thumbnail of its best view.
import type { Box } from '../../../shared/detection';
import type { EndedTrack } from '../tracking/tracker';
import { cropFrame, SnapshotStore, type Crop } from '../snapshots/snapshot-store';
import { trackKey, type TracksRepo, type TracksWriter, type TrackSummary } from '../store/tracks-repo';
import type { TracksEvent } from './detection-service';

function summaryOf(track: EndedTrack): TrackSummary {
  return {
    trackId: track.trackId,
    label: track.label,
    firstSeen: track.firstSeen,
    lastSeen: track.lastSeen,
    bestScore: track.bestScore,
    bestBox: track.bestBox,
    bestAt: track.bestAt,
    // The tracker's path carries no per-sample score; the best one stands for the track.
    samples: track.samples.map((sample) => ({ t: sample.at, box: sample.box, score: track.bestScore })),
  };
}

export class TrackRecorder {
  /** Best view so far of each live track, by camera + run + track id. */
  private readonly best = new Map<string, { score: number; crop: Crop }>();

  constructor(
    private readonly writer: TracksWriter,
    private readonly repo: TracksRepo,
    private readonly snapshots: SnapshotStore | null,
  ) {}

  record(event: TracksEvent): void {
    const { cameraId, run, tracker, update, frame, scale } = event;
    const key = (trackId: number) => `${cameraId}\n${run}\n${trackId}`;
    for (const object of update.objects) {
      if (object.state === 'lost' || !this.snapshots) continue;
      const held = this.best.get(key(object.trackId));
      if (held && held.score >= object.score) continue;
      // Boxes are in source pixels; the crop comes from the analysed picture.
      const box = [object.box[0] / scale.x, object.box[1] / scale.y, object.box[2] / scale.x, object.box[3] / scale.y] as Box;
      const crop = cropFrame(frame, box);
      if (crop) this.best.set(key(object.trackId), { score: object.score, crop });
    }
    for (const object of update.reportable) {
      const summary = tracker.summaryOf(object.trackId);
      if (summary) this.writer.write({ cameraId, run, track: summaryOf(summary), frameWidth: event.width, frameHeight: event.height, ended: false });
    }
    for (const ended of update.ended) {
      const size = event.width ? { width: event.width, height: event.height } : frameSizeOf(this.repo, cameraId, run, ended.trackId);
      this.writer.write({ cameraId, run, track: summaryOf(ended), frameWidth: size.width, frameHeight: size.height, ended: true });
      const best = this.best.get(key(ended.trackId));
      this.best.delete(key(ended.trackId));
      if (best && this.snapshots) {
        const stored = trackKey(run, ended.trackId);
        this.snapshots.save(best.crop, SnapshotStore.refFor(cameraId, ended.bestAt, stored), (ref) => {
          if (!ref) return;
          try {
            // The row may still sit in the writer's batch: commit it first so the reference lands.
            this.writer.flush();
            this.repo.setSnapshotRef(cameraId, stored, ref);
          } catch {
            // The engine is stopping and the database closed: the file stays, unreferenced.
          }
        });
      }
    }
    // Tentative tracks the tracker dropped silently leave no 'ended': forget their crops too.
    const live = new Set(update.objects.map((o) => key(o.trackId)));
    for (const held of this.best.keys()) if (held.startsWith(`${cameraId}\n${run}\n`) && !live.has(held)) this.best.delete(held);
  }
}

/** A stopping camera reports its ended tracks without a picture: reuse the stored size. */
function frameSizeOf(repo: TracksRepo, cameraId: string, run: string, trackId: number): { width: number; height: number } {
  const row = repo.get(cameraId, trackKey(run, trackId));
  return { width: row?.frameWidth ?? 0, height: row?.frameHeight ?? 0 };
}
