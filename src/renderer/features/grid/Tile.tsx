import { useRef, useState, type DragEvent } from 'react';
import type { HealthCameraDetect } from '../../../shared/api';
import type { CameraView, StreamRole } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { useCameraAlert } from '../incidents/alert-store';
import type { DetectionStore } from '../overlay/detection-buffer';
import { DetectionOverlay } from '../overlay/DetectionOverlay';
import { overlayShown } from '../overlay/overlay-prefs';
import { OverlayToggle } from '../overlay/OverlayToggle';
import { DetectBadges } from './DetectBadges';
import { engineSaysTranscoded, reasonDetail, shouldPlay, showsReason, STATE_LABELS, tileView } from './tile-state';
import { usePlayer } from './usePlayer';

export const DRAG_TYPE = 'application/x-vigil-camera';

/** Detection on tiles: live boxes from the events socket, switches, and health's detect rows. */
export interface TileDetection {
  store: DetectionStore;
  /** Boxes on for the whole grid. */
  overlays: boolean;
  /** Cameras with boxes switched off. */
  overlaysOff: readonly string[];
  onToggleOverlay(cameraId: string): void;
  /** Health's `detect` row per camera id (absent until the first poll). */
  detect: ReadonlyMap<string, HealthCameraDetect>;
}

export interface TileProps {
  camera: CameraView;
  role: StreamRole;
  client: ApiClient;
  onOpen(): void;
  /** Drop another tile (by camera id) onto this one; omitted in the single view. */
  onDropCamera?: (fromId: string) => void;
  detection?: TileDetection;
}

export function Tile({ camera, role, client, onOpen, onDropCamera, detection }: TileProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const tileRef = useRef<HTMLDivElement>(null);
  const [dropTarget, setDropTarget] = useState(false);
  const url = shouldPlay(camera) ? client.liveUrl(camera.id, role) : null;
  const { report, stream, stats } = usePlayer(videoRef, tileRef, url);
  const view = tileView(camera, url ? report : null);
  const transcoded = stream ? stream.transcoded : engineSaysTranscoded(camera, role);
  const reason = showsReason(view.state) ? view.reason : null;
  const detail = reason && reason === camera.status.reason ? reasonDetail(camera.status.message, describeCode(reason)) : null;
  const draggable = Boolean(onDropCamera);
  const overlayOn = detection ? overlayShown(detection.overlays, detection.overlaysOff, camera.id) : false;
  const detect = detection?.detect.get(camera.id);
  const alerted = useCameraAlert(camera.id);

  const dragProps = draggable
    ? {
        draggable: true,
        onDragStart: (e: DragEvent) => {
          e.dataTransfer.setData(DRAG_TYPE, camera.id);
          e.dataTransfer.setData('text/plain', camera.id);
          e.dataTransfer.effectAllowed = 'move';
        },
        onDragOver: (e: DragEvent) => {
          if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
          setDropTarget(true);
        },
        onDragLeave: () => setDropTarget(false),
        onDrop: (e: DragEvent) => {
          setDropTarget(false);
          const from = e.dataTransfer.getData(DRAG_TYPE);
          if (!from) return;
          e.preventDefault();
          if (from !== camera.id) onDropCamera?.(from);
        },
      }
    : {};

  return (
    <div
      ref={tileRef}
      className={`tile state-${view.state}${dropTarget ? ' drop-target' : ''}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-state={view.state}
      data-stream={role}
      data-reason={reason ?? undefined}
      data-transcoded={transcoded ? 'true' : 'false'}
      data-detect-mode={detect?.mode}
      data-alert={alerted ? 'flash' : undefined}
      data-overlay={detection ? (overlayOn ? 'on' : 'off') : undefined}
      data-latency-ms={stats?.latencySeconds != null ? Math.round(stats.latencySeconds * 1000) : undefined}
      data-decoded-frames={stats ? stats.decodedFrames : undefined}
      data-buffered-ms={stats ? Math.round(stats.bufferedSeconds * 1000) : undefined}
      tabIndex={0}
      title={`${camera.name} — double-click for ${role === 'sub' ? 'full view' : 'the grid'}`}
      onDoubleClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
      {...dragProps}
    >
      <video ref={videoRef} className="tile-video" muted playsInline disablePictureInPicture />
      {detection && (
        <DetectionOverlay videoRef={videoRef} store={detection.store} cameraId={camera.id} role={stream?.role ?? role} enabled={overlayOn} playing={view.state === 'live'} />
      )}
      <div className="tile-top">
        <span className="tile-name" data-testid="tile-name">
          {camera.name}
        </span>
        {camera.demo && (
          <span className="badge badge-demo" data-testid="badge-demo">
            DEMO
          </span>
        )}
        {transcoded && (
          <span className="badge badge-transcoded" data-testid="badge-transcoded" title="Vigil re-encodes this stream so the browser can play it">
            transcoded
          </span>
        )}
        <DetectBadges detect={detect} />
        {detection && <OverlayToggle shown={overlayOn} gridEnabled={detection.overlays} onToggle={() => detection.onToggleOverlay(camera.id)} />}
        <span className={`tile-state state-label-${view.state}`} data-testid="tile-state">
          {STATE_LABELS[view.state]}
        </span>
      </div>
      {reason && (
        <div className="tile-reason" data-testid="tile-reason" data-reason={reason}>
          <span className="reason-code">{reason}</span> {describeCode(reason)}
          {detail && (
            <div className="reason-detail" data-testid="tile-reason-detail" title={detail}>
              {detail}
            </div>
          )}
        </div>
      )}
      {stats && view.state === 'live' && stats.latencySeconds !== null && (
        <div className="tile-stats" data-testid="tile-stats">
          {stats.latencySeconds.toFixed(2)} s · {stats.decodedFrames} frames
        </div>
      )}
    </div>
  );
}
