import { useCallback, useEffect, useState } from 'react';
import type { Prefs } from '../../api/client';
import { parseOverlaysEnabled, parseOverlaysOff, PREF_OVERLAYS, PREF_OVERLAYS_OFF, toggleCameraOverlay } from './overlay-prefs';

export interface OverlayPrefs {
  /** Boxes on for the whole grid. */
  enabled: boolean;
  /** Cameras whose boxes the operator switched off. */
  off: string[];
  setEnabled(enabled: boolean): void;
  toggleCamera(cameraId: string): void;
}

/** The overlay switches, restored from and saved to prefs ('grid.overlays', 'grid.overlays.off'). */
export function useOverlayPrefs(prefs: Prefs): OverlayPrefs {
  const [enabled, setEnabledState] = useState(true);
  const [off, setOff] = useState<string[]>([]);

  useEffect(() => {
    let cancelled = false;
    Promise.all([prefs.get(PREF_OVERLAYS).catch(() => undefined), prefs.get(PREF_OVERLAYS_OFF).catch(() => undefined)]).then(([storedEnabled, storedOff]) => {
      if (cancelled) return;
      setEnabledState(parseOverlaysEnabled(storedEnabled));
      setOff(parseOverlaysOff(storedOff));
    });
    return () => {
      cancelled = true;
    };
  }, [prefs]);

  const setEnabled = useCallback(
    (next: boolean) => {
      setEnabledState(next);
      prefs.set(PREF_OVERLAYS, next).catch(() => undefined);
    },
    [prefs],
  );
  const toggleCamera = useCallback(
    (cameraId: string) => {
      const next = toggleCameraOverlay(off, cameraId);
      setOff(next);
      prefs.set(PREF_OVERLAYS_OFF, next).catch(() => undefined);
    },
    [prefs, off],
  );
  return { enabled, off, setEnabled, toggleCamera };
}
