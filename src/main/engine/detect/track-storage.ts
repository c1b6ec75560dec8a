// Storage of what detection saw: the tracks writer, thumbnails, and retention by age.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotStore } from '../snapshots/snapshot-store';
import type { Db } from '../store/database';
import { TracksRetention } from '../store/retention';
import { TracksRepo, TracksWriter } from '../store/tracks-repo';
import type { DetectionService } from './detection-service';
import { TrackRecorder } from './track-recorder';

const DAY_MS = 86_400_000;
const RETENTION_EVERY_MS = 60 * 60_000;

export function recordTracks(db: Db, detection: DetectionService | null, ffmpegPath: string | null, dataDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): { repo: TracksRepo; stop(): void } {
  const repo = new TracksRepo(db);
  // Tracks left open by a crash or power cut will never be updated again.
  const closed = repo.endOpenTracks();
  if (closed) log(`tracks: closed ${closed} left open by the last run`);
  const writer = new TracksWriter(repo, { onError: (error) => log(`tracks: write failed, will retry: ${error.message}`) });
  const snapshots = ffmpegPath ? new SnapshotStore({ dir: join(dataDir, 'snapshots'), ffmpegPath, log }) : null;
  const recorder = new TrackRecorder(writer, repo, snapshots);
  detection?.on('tracks', (event) => recorder.record(event));

  const days = Number(env.VIGIL_RETENTION_DAYS) || 30;
  const retention = new TracksRetention(db, { onSnapshotsRemoved: (refs) => refs.forEach((ref) => snapshots && rmSync(snapshots.path(ref), { force: true })) });
  const purge = () =>
    retention
      .purgeOlderThan(Date.now() - days * DAY_MS)
      .then((removed) => removed && log(`retention: removed ${removed} tracks older than ${days} days`))
      .catch((error: Error) => log(`retention failed: ${error.message}`));
  void purge();
  const timer = setInterval(purge, RETENTION_EVERY_MS);
  timer.unref();
  return {
    repo,
    stop: () => {
      clearInterval(timer);
      snapshots?.stop();
      writer.close();
    },
  };
}
