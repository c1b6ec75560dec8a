// The camera list as events describe it. Pure, unit-tested.
import type { EngineEvent } from '../../shared/api';
import type { CameraView } from '../../shared/cameras';

export function upsertCamera(list: readonly CameraView[], camera: CameraView): CameraView[] {
  const index = list.findIndex((c) => c.id === camera.id);
  if (index < 0) return [...list, camera];
  const next = [...list];
  next[index] = camera;
  return next;
}

export function removeCamera(list: readonly CameraView[], id: string): CameraView[] {
  return list.filter((c) => c.id !== id);
}

export function applyEngineEvent(list: readonly CameraView[], event: EngineEvent): CameraView[] {
  switch (event.type) {
    case 'hello':
      return [...event.cameras];
    case 'camera.status':
    case 'camera.added':
    case 'camera.updated':
      return upsertCamera(list, event.camera);
    case 'camera.removed':
      return removeCamera(list, event.id);
    default:
      return [...list];
  }
}

export function countLive(list: readonly CameraView[]): { live: number; total: number } {
  return { live: list.filter((c) => c.status.state === 'live').length, total: list.length };
}
