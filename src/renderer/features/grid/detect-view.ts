// What a tile says about detection on its camera, from the health poll. Pure, unit-tested.
import type { HealthCameraDetect } from '../../../shared/api';
import { describeReason } from '../../../shared/reasons';

export interface DetectBadge {
  /** Shown as a badge: the camera runs motion detection only. */
  motionOnly: boolean;
  /** Why (reason code), when the engine said. */
  reason: string | null;
  /** The badge's tooltip: the reason sentence. */
  title: string;
  /** Something moves in the picture now. */
  motion: boolean;
  motionTitle: string;
}

export const MOTION_ONLY_DEFAULT = 'Object detection is not running on this camera: only motion is detected.';

export function detectBadge(detect: HealthCameraDetect | null | undefined): DetectBadge {
  const motionOnly = detect?.mode === 'motion-only';
  const reason = detect?.reason ?? null;
  const score = detect && Number.isFinite(detect.motionScore) ? detect.motionScore : 0;
  return {
    motionOnly,
    reason: motionOnly ? reason : null,
    title: reason ? describeReason(reason) : MOTION_ONLY_DEFAULT,
    motion: detect?.motionActive === true,
    motionTitle: `Motion: ${formatShare(score)} of the picture${detect && detect.liveTracks > 0 ? ` · ${detect.liveTracks} tracked` : ''}`,
  };
}

/** 0.034 -> "3.4 %", 0.5 -> "50 %". */
export function formatShare(share: number): string {
  const pct = Math.max(0, Math.min(1, share)) * 100;
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)} %`;
}
