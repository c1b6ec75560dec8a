import { useCallback, useEffect, useState } from 'react';
import type { CameraView } from '../../shared/cameras';
import type { ApiClient } from '../api/client';
import { applyEngineEvent, removeCamera, upsertCamera } from './camera-list';

export interface EngineState {
  cameras: CameraView[];
  /** The events socket is open and the engine said hello. */
  connected: boolean;
  /** Whether any camera list arrived yet (hello or the first GET). */
  loaded: boolean;
  /** Apply an API response at once, before its event arrives. */
  upsert(camera: CameraView): void;
  remove(id: string): void;
}

export function useEngine(client: ApiClient): EngineState {
  const [cameras, setCameras] = useState<CameraView[]>([]);
  const [connected, setConnected] = useState(false);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let helloSeen = false;
    let cancelled = false;
    const sub = client.events(
      (event) => {
        if (event.type === 'hello') {
          helloSeen = true;
          setLoaded(true);
        }
        setCameras((list) => applyEngineEvent(list, event));
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
  }, [client]);

  const upsert = useCallback((camera: CameraView) => setCameras((list) => upsertCamera(list, camera)), []);
  const remove = useCallback((id: string) => setCameras((list) => removeCamera(list, id)), []);
  return { cameras, connected, loaded, upsert, remove };
}
