// How the alerts screen plugs into the app: a header button and a side-panel slot sharing one
// small open/closed store, so that the app shell needs no state of its own for it. Opening
// it closes the other side panels; opening another one closes it.
import { useEffect, useSyncExternalStore } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';
import { AlertsPanel } from './AlertsPanel';

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
  return isOpen ? <AlertsPanel client={client} listen={listen} cameras={cameras} onClose={() => setOpen(false)} /> : null;
}
