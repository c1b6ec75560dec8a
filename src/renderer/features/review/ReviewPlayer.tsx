// One camera's recorded picture in review: two <video> elements run by a SegmentPlayer on
// the shared clock, the stored track boxes over them, and what shows when there is no
// footage at the clock's moment.
import { useEffect, useRef, useState } from 'react';
import type { RecordingSegmentView, ReviewTrack } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import type { ReviewLoop } from './review-loop';
import { SegmentPlayer, type PlayerStatus } from './segment-player';
import type { TimeRange } from './time-scale';
import { TrackOverlay } from './track-overlay';
import { useRecordings, useTracks } from './useReviewData';

export interface ReviewPlayerProps {
  client: ApiClient;
  cameraId: string;
  name: string;
  loop: ReviewLoop;
  /** The clock's moment, coarsely (it picks the stretch of segments and tracks to fetch). */
  around: number;
  /** The timeline's recorded spans for this camera, to find footage after a long gap. */
  coverage: readonly TimeRange[];
  /** Draw stored boxes. */
  boxes: boolean;
}

const NO_TRACKS: ReviewTrack[] = [];
const NO_SEGMENTS: RecordingSegmentView[] = [];
const EVERYTHING: TimeRange = { from: -Infinity, to: Infinity };

const MEDIA_ERRORS: Record<string, string> = {
  MEDIA_ERR_2: 'The recording could not be read from the engine.',
  MEDIA_ERR_3: 'The recording is damaged and cannot be decoded.',
  MEDIA_ERR_4: 'The recording is missing (removed by retention?) or its format is not playable.',
};

export function ReviewPlayer({ client, cameraId, name, loop, around, coverage, boxes }: ReviewPlayerProps) {
  const videoA = useRef<HTMLVideoElement>(null);
  const videoB = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const playerRef = useRef<SegmentPlayer | null>(null);
  const [status, setStatus] = useState<PlayerStatus>({ state: 'loading' });
  const recordings = useRecordings(client, cameraId, around);
  const tracks = useTracks(client, cameraId, around);
  const tracksRef = useRef<readonly ReviewTrack[]>([]);
  tracksRef.current = boxes ? (tracks.data?.items ?? NO_TRACKS) : NO_TRACKS;
  const segments = recordings.data?.items ?? NO_SEGMENTS;
  // A failed list counts as known (nothing to play), so the clock does not wait on it forever.
  const listed = recordings.error ? EVERYTHING : (recordings.data?.window ?? null);
  const latest = useRef({ segments, listed, coverage });
  latest.current = { segments, listed, coverage };

  useEffect(() => {
    const a = videoA.current;
    const b = videoB.current;
    const canvas = canvasRef.current;
    if (!a || !b || !canvas) return;
    const player = new SegmentPlayer({
      videos: [a, b],
      urlFor: (segmentId) => client.tokenUrl(`/api/recordings/${encodeURIComponent(String(segmentId))}`),
      testId: `review-video-${cameraId}`,
      onStatus: setStatus,
    });
    const overlay = new TrackOverlay(canvas);
    player.setSegments(latest.current.segments, latest.current.listed);
    player.setCoverage(latest.current.coverage);
    playerRef.current = player;
    const off = loop.add((ctx) => {
      const report = player.frame(ctx);
      overlay.draw(tracksRef.current, player.mediaWallTime(), player.video);
      return report;
    });
    return () => {
      off();
      playerRef.current = null;
      overlay.destroy();
      player.destroy();
    };
  }, [client, cameraId, loop]);

  useEffect(() => {
    playerRef.current?.setSegments(segments, listed);
  }, [segments, listed]);
  useEffect(() => {
    playerRef.current?.setCoverage(coverage);
  }, [coverage]);

  const problem = recordings.error ?? (status.state === 'error' ? { code: status.code, message: MEDIA_ERRORS[status.code] ?? status.code } : null);
  return (
    <div className="review-player" data-testid={`review-player-${cameraId}`} data-camera-id={cameraId} data-state={status.state} data-segment-id={status.state === 'playing' ? status.segmentId : undefined}>
      <video ref={videoA} muted playsInline disablePictureInPicture />
      <video ref={videoB} muted playsInline disablePictureInPicture />
      <canvas ref={canvasRef} className="review-overlay" data-testid={`review-overlay-${cameraId}`} aria-hidden="true" />
      <div className="review-player-top">
        <span className="review-player-name">{name}</span>
        {tracks.error && (
          <span className="badge review-badge-warn" title={`Boxes unavailable: ${describeCode(tracks.error.code)}`}>
            no boxes
          </span>
        )}
      </div>
      {status.state === 'gap' && !problem && (
        <div className="review-no-recording" data-testid={`review-gap-${cameraId}`} data-recent={status.recent ? 'true' : undefined}>
          {status.recent ? 'Not recorded yet: the newest seconds are still being written' : 'No recording'}
        </div>
      )}
      {status.state === 'loading' && !problem && <div className="review-player-note muted">Loading…</div>}
      {problem && (
        <div className="review-no-recording review-player-error" data-testid={`review-error-${cameraId}`} data-code={problem.code}>
          <span className="reason-code">{problem.code}</span> {MEDIA_ERRORS[problem.code] ?? describeCode(problem.code)}
        </div>
      )}
    </div>
  );
}
