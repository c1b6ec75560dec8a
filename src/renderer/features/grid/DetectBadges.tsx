import type { HealthCameraDetect } from '../../../shared/api';
import { detectBadge } from './detect-view';

/** 'MOTION ONLY' badge (reason in its tooltip) and a motion dot for the tile's top bar. */
export function DetectBadges({ detect }: { detect: HealthCameraDetect | null | undefined }) {
  const badge = detectBadge(detect);
  return (
    <>
      {badge.motionOnly && (
        <span className="badge badge-motion-only" data-testid="badge-motion-only" data-reason={badge.reason ?? undefined} title={badge.title}>
          MOTION ONLY
        </span>
      )}
      {badge.motion && <span className="tile-motion" data-testid="motion-indicator" title={badge.motionTitle} aria-label={badge.motionTitle} />}
    </>
  );
}
