// Mounted once by the app: shows the review screen when asked (header button, incident
// detail) and the export dialog for an export asked from either, and gives the review store
// the client's media URLs (snapshots in the incident detail need them too). The review screen
// (and recharts with it, most of its weight) is loaded on first open, as its own chunk from
// the same origin, so the live grid starts without it.
import { lazy, Suspense, useEffect } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';
import { ExportDialog } from '../export/ExportDialog';
import { closeExport, setMediaUrl, toggleReview, useReviewStore } from './review-store';

const ReviewScreen = lazy(() => import('./ReviewScreen').then((module) => ({ default: module.ReviewScreen })));

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
      {store.open && (
        <Suspense
          fallback={
            <section className="review-screen" data-testid="review-loading" aria-label="Review" aria-busy="true">
              <div className="placeholder">Loading review…</div>
            </section>
          }
        >
          <ReviewScreen client={client} cameras={cameras} request={store.request} />
        </Suspense>
      )}
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
