// Which tiles draw detection boxes: a switch for the whole grid ('grid.overlays', on unless
// stored false) and a list of cameras switched off one by one ('grid.overlays.off'). Pure.

export const PREF_OVERLAYS = 'grid.overlays';
export const PREF_OVERLAYS_OFF = 'grid.overlays.off';

export function parseOverlaysEnabled(stored: unknown): boolean {
  return stored !== false;
}

/** The stored list of camera ids with overlays off: strings only, deduplicated. */
export function parseOverlaysOff(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  return [...new Set(stored.filter((id): id is string => typeof id === 'string' && id.length > 0))];
}

export function overlayShown(gridEnabled: boolean, off: readonly string[], cameraId: string): boolean {
  return gridEnabled && !off.includes(cameraId);
}

/** The list after switching one camera's overlay: off when it was shown, on otherwise. */
export function toggleCameraOverlay(off: readonly string[], cameraId: string): string[] {
  return off.includes(cameraId) ? off.filter((id) => id !== cameraId) : [...off, cameraId];
}
