// Review's part of the incident detail: open review at the incident, export it, and its
// snapshot (the engine's frame with the boxes drawn).
import { useState } from 'react';
import type { Incident } from '../../../shared/incidents';
import { incidentRange, INCIDENT_PREROLL_MS } from './review-plan';
import { openReview, requestExport, useMediaUrl } from './review-store';

export function IncidentReviewButtons({ incident }: { incident: Incident }) {
  const range = () => incidentRange(incident, Date.now(), incident.updatedAt);
  return (
    <div className="incident-review-actions">
      <button
        type="button"
        data-testid="incident-review"
        onClick={() => openReview({ cameraId: incident.cameraId, at: incident.startedAt - INCIDENT_PREROLL_MS, incidentId: incident.id, range: range() })}
        title="Play the recording of this incident"
      >
        Review
      </button>
      <button
        type="button"
        data-testid="incident-export"
        onClick={() => {
          const { from, to } = range();
          requestExport({ incidentId: incident.id, cameraIds: [incident.cameraId], from, to });
        }}
        title="Export this incident as evidence"
      >
        Export…
      </button>
    </div>
  );
}

/** The snapshot, or nothing when the engine has none (404) or it cannot load. */
export function IncidentSnapshot({ incidentId }: { incidentId: string }) {
  const mediaUrl = useMediaUrl();
  const [failed, setFailed] = useState<string | null>(null);
  if (!mediaUrl || failed === incidentId) return null;
  return (
    <img
      className="incident-snapshot"
      data-testid="incident-snapshot"
      src={mediaUrl(`/api/incidents/${encodeURIComponent(incidentId)}/snapshot`)}
      alt="Snapshot of the incident with the detection boxes"
      onError={() => setFailed(incidentId)}
    />
  );
}
