// How the alerts screen plugs into the app: a header button and a side-panel slot sharing one
// small open/closed store, so that the app shell needs no state of its own for it. Opening
// it closes the other side panels; opening another one closes it. The panel (its editors and
// the QR code library) is loaded on first open, as its own same-origin chunk, to keep the
// bundle the live grid starts with small.
import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';

const AlertsPanel = lazy(() => import('./AlertsPanel').then((module) => ({ default: module.AlertsPanel })));

let open = false;
const listeners = new Set<() => void>();
function setOpen(next: boolean): void {
  if (next === open) return;
  open = next;
  for (const listener of listeners) listener();
}
function useOpen(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => open,
  );
}

/** The header button; `onOpen` closes the app's other side panels. */
export function AlertsButton({ onOpen }: { onOpen(): void }) {
  const isOpen = useOpen();
  return (
    <button
      type="button"
      data-testid="alerts-open"
      aria-pressed={isOpen}
      className={isOpen ? 'active' : undefined}
      onClick={() => {
        if (!isOpen) onOpen();
        setOpen(!isOpen);
      }}
      title="Alert channels, recipients, policies and the delivery log"
    >
      Alerts
    </button>
  );
}

/** The panel, while open; `otherPanel` is the app's own side panel (one at a time). */
export function AlertsPanelSlot({ client, listen, cameras, otherPanel }: { client: ApiClient; listen(listener: EngineListener): () => void; cameras: readonly CameraView[]; otherPanel: string | null }) {
  const isOpen = useOpen();
  useEffect(() => {
    if (otherPanel !== null) setOpen(false);
  }, [otherPanel]);
  if (!isOpen) return null;
  return (
    <Suspense
      fallback={
        <aside className="side-panel alerts-panel" data-testid="alerts-loading" aria-label="Alerts" aria-busy="true">
          <div className="muted">Loading…</div>
        </aside>
      }
    >
      <AlertsPanel client={client} listen={listen} cameras={cameras} onClose={() => setOpen(false)} />
    </Suspense>
  );
}
