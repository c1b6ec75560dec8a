import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { countLive } from '../../app/camera-list';
import { formatFfmpeg, formatLag, formatLive, lagLevel } from './format';
import { useHealth } from './useHealth';

export function StatusBar({ client, cameras, eventsConnected }: { client: ApiClient; cameras: CameraView[]; eventsConnected: boolean }) {
  const { health, error } = useHealth(client);
  const connected = eventsConnected && error === null;
  const { live, total } = countLive(cameras);
  const ffmpegProblem = health && !health.ffmpeg.version ? health.ffmpeg.error : null;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item engine ${connected ? 'ok' : 'bad'}`} data-testid="engine-status" data-connected={connected ? 'true' : 'false'} title={error ? `${error}: ${describeCode(error)}` : undefined}>
        <span className="dot" aria-hidden="true" />
        {connected ? 'Engine connected' : `Engine disconnected${error ? ` (${error})` : ''}`}
      </span>
      <span className="status-item" data-testid="cameras-live" data-live={live} data-total={total}>
        {formatLive(live, total)}
      </span>
      <span className={`status-item${ffmpegProblem ? ' bad' : ''}`} data-testid="ffmpeg-version" title={ffmpegProblem ?? health?.ffmpeg.path ?? undefined}>
        FFmpeg {formatFfmpeg(health?.ffmpeg)}
      </span>
      <span className={`status-item lag-${lagLevel(health?.eventLoopLagMs)}`} data-testid="event-loop-lag" title="Engine event loop lag">
        Loop lag {formatLag(health?.eventLoopLagMs)}
      </span>
      {health && <span className="status-item muted">v{health.version}</span>}
    </footer>
  );
}
