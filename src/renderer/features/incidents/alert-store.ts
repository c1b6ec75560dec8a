// Which camera tiles flash: a tiny store the alarm queue writes and the grid's tiles read.
import { useSyncExternalStore } from 'react';

type Listener = () => void;

let alerted: ReadonlySet<string> = new Set();
const listeners = new Set<Listener>();

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Replaces the set of alerted cameras (no-op, and no re-render, when it is the same). */
export function setAlertedCameras(ids: readonly string[]): void {
  if (ids.length === alerted.size && ids.every((id) => alerted.has(id))) return;
  alerted = new Set(ids);
  for (const listener of listeners) listener();
}

/** Every camera with an unacknowledged high or critical incident. */
export function useAlertedCameras(): ReadonlySet<string> {
  return useSyncExternalStore(subscribe, () => alerted);
}

/** Whether this camera's tile should flash (re-renders the tile only when that changes). */
export function useCameraAlert(cameraId: string): boolean {
  return useSyncExternalStore(subscribe, () => alerted.has(cameraId));
}
