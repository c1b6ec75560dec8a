import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineEvent } from '../../shared/api';
import type { CameraView } from '../../shared/cameras';
import type { ApiClient } from '../api/client';
import { DetectionStore } from '../features/overlay/detection-buffer';
import { applyEngineEvent, removeCamera, upsertCamera } from './camera-list';

export type EngineListener = (event: EngineEvent) => void;

export interface EngineState {
  cameras: CameraView[];
  /** The events socket is open and the engine said hello. */
  connected: boolean;
  /** Whether any camera list arrived yet (hello or the first GET). */
  loaded: boolean;
  /** Recent detection frames per camera, for the overlays (filled without re-rendering). */
  detections: DetectionStore;
  /** Apply an API response at once, before its event arrives. */
  upsert(camera: CameraView): void;
  remove(id: string): void;
  /** Every event as it arrives (analysis updates…); returns the unsubscribe function. */
  listen(listener: EngineListener): () => void;
}

/** Events that change the camera list; detections and analysis updates do not re-render it. */
function changesCameras(event: EngineEvent): boolean {
  return event.type === 'hello' || event.type === 'camera.status' || event.type === 'camera.added' || event.type === 'camera.updated' || event.type === 'camera.removed';
}

export function useEngine(client: ApiClient): EngineState {
  const [cameras, setCameras] = useState<CameraView[]>([]);
  const [connected, setConnected] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const detections = useMemo(() => new DetectionStore(), []);
  const listeners = useRef(new Set<EngineListener>());

  useEffect(() => {
    let helloSeen = false;
    let cancelled = false;
    const sub = client.events(
      (event) => {
        if (event.type === 'detections') detections.push(event, performance.now());
        else if (event.type === 'camera.removed') detections.clear(event.id);
        if (event.type === 'hello') {
          helloSeen = true;
          setLoaded(true);
        }
        if (changesCameras(event)) setCameras((list) => applyEngineEvent(list, event));
        for (const listener of listeners.current) listener(event);
      },
      (value) => setConnected(value),
    );
    // The list over HTTP too, in case the events socket is slow or blocked; hello wins.
    client.request('GET /api/cameras', {}, undefined).then(
      (list) => {
        if (cancelled || helloSeen) return;
        setCameras(list);
        setLoaded(true);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      sub.close();
    };
  }, [client, detections]);

  const upsert = useCallback((camera: CameraView) => setCameras((list) => upsertCamera(list, camera)), []);
  const remove = useCallback((id: string) => setCameras((list) => removeCamera(list, id)), []);
  const listen = useCallback((listener: EngineListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  return { cameras, connected, loaded, detections, upsert, remove, listen };
}
