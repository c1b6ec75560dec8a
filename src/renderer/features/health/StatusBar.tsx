import type { CameraView } from '../../../shared/cameras';
import { describeCode } from '../../api/errors';
import { countLive } from '../../app/camera-list';
import { formatFfmpeg, formatInference, formatLag, formatLive, lagLevel } from './format';
import type { HealthState } from './useHealth';

export function StatusBar({ health: state, cameras, eventsConnected }: { health: HealthState; cameras: CameraView[]; eventsConnected: boolean }) {
  const { health, error } = state;
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
      <DetectorStatus inference={health?.inference} />
      <span className={`status-item lag-${lagLevel(health?.eventLoopLagMs)}`} data-testid="event-loop-lag" title="Engine event loop lag">
        Loop lag {formatLag(health?.eventLoopLagMs)}
      </span>
      {health && <span className="status-item muted">v{health.version}</span>}
    </footer>
  );
}

function DetectorStatus({ inference }: { inference: Parameters<typeof formatInference>[0] }) {
  const view = formatInference(inference);
  if (!view || !inference) return null;
  return (
    <>
      <span
        className={`status-item detector detector-${view.level}`}
        data-testid="detector-status"
        data-state={inference.state}
        data-provider={inference.provider ?? undefined}
        data-reason={view.reason ?? undefined}
        title={view.title ?? undefined}
      >
        {view.text}
        {view.reason && (
          <>
            <span className="reason-code">{view.reason}</span>
            {inference.state === 'unavailable' && <span className="detector-sentence">{describeCode(view.reason)}</span>}
          </>
        )}
      </span>
      {view.latency && (
        <span className="status-item" data-testid="inference-latency" data-p95-ms={Math.round(inference.latencyMs.p95)} title={`Inference latency: ${Math.round(inference.latencyMs.p50)} ms p50 over ${inference.latencyMs.count} batches`}>
          Inference {view.latency}
        </span>
      )}
    </>
  );
}
