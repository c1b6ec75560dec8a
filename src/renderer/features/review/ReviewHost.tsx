// Mounted once by the app: shows the review screen when asked (header button, incident
// detail) and the export dialog for an export asked from either, and gives the review store
// the client's media URLs (snapshots in the incident detail need them too).
import { useEffect } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';
import { ExportDialog } from '../export/ExportDialog';
import { closeExport, setMediaUrl, toggleReview, useReviewStore } from './review-store';
import { ReviewScreen } from './ReviewScreen';

export interface ReviewHostProps {
  client: ApiClient;
  cameras: readonly CameraView[];
  listen(listener: EngineListener): () => void;
}

export function ReviewHost({ client, cameras, listen }: ReviewHostProps) {
  const store = useReviewStore();
  useEffect(() => {
    setMediaUrl((path) => client.tokenUrl(path));
    return () => setMediaUrl(null);
  }, [client]);
  return (
    <>
      {store.open && <ReviewScreen client={client} cameras={cameras} request={store.request} />}
      {store.exportRequest && <ExportDialog client={client} listen={listen} initial={store.exportRequest} onClose={closeExport} />}
    </>
  );
}

/** The header button that opens and closes review. */
export function ReviewButton() {
  const { open } = useReviewStore();
  return (
    <button type="button" data-testid="review-open" aria-pressed={open} className={open ? 'active' : undefined} onClick={toggleReview} title="Review recordings: timeline, playback, export">
      Review
    </button>
  );
}
