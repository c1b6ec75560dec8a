import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import { CamerasPanel } from '../features/cameras/CamerasPanel';
import { Grid, SingleView } from '../features/grid/Grid';
import { applyOrder, clampPage, fitLayout, moveToIndex, pageCount, pageOf, swapInOrder, type Layout } from '../features/grid/layout';
import { LayoutBar, Pager } from '../features/grid/LayoutBar';
import { useGridPrefs } from '../features/grid/useGridPrefs';
import { StatusBar } from '../features/health/StatusBar';
import { useEngine } from './useEngine';

export function App({ client }: { client: ApiClient }) {
  const engine = useEngine(client);
  const prefs = useGridPrefs(client.prefs);
  const [page, setPage] = useState(0);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);

  const ordered = useMemo(() => applyOrder(engine.cameras, prefs.order), [engine.cameras, prefs.order]);
  const layout: Layout = prefs.layout ?? fitLayout(ordered.length);
  const currentPage = clampPage(page, ordered.length, layout);
  const focused = focusId ? ordered.find((c) => c.id === focusId) : undefined;

  useEffect(() => {
    if (!focusId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setFocusId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focusId]);

  const ids = ordered.map((c) => c.id);
  const chooseLayout = (next: Layout) => {
    // Keep the first camera of the current page in view.
    setPage(pageOf(currentPage * layout, next));
    prefs.setLayout(next);
    setFocusId(null);
  };

  const ready = prefs.loaded && engine.loaded;
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Vigil</h1>
        <LayoutBar layout={layout} onLayout={chooseLayout} />
        {!focused && <Pager page={currentPage} pages={pageCount(ordered.length, layout)} onPage={setPage} />}
        <div className="spacer" />
        <button type="button" data-testid="toggle-cameras" aria-pressed={panelOpen} className={panelOpen ? 'active' : undefined} onClick={() => setPanelOpen((v) => !v)}>
          Cameras
        </button>
      </header>
      <div className="app-body">
        <main className="grid-area" data-testid="grid-area">
          {!ready ? (
            <div className="placeholder" data-testid="loading">
              {engine.connected || engine.loaded ? 'Loading…' : 'Connecting to the engine…'}
            </div>
          ) : focused ? (
            <SingleView client={client} camera={focused} onClose={() => setFocusId(null)} />
          ) : ordered.length === 0 ? (
            <div className="placeholder" data-testid="no-cameras">
              No cameras.{' '}
              <button type="button" onClick={() => setPanelOpen(true)}>
                Add a camera
              </button>
            </div>
          ) : (
            <Grid
              client={client}
              cameras={ordered}
              layout={layout}
              page={currentPage}
              onOpen={setFocusId}
              onSwap={(from, to) => prefs.setOrder(swapInOrder(ids, from, to))}
              onMoveTo={(id, index) => prefs.setOrder(moveToIndex(ids, id, index))}
            />
          )}
        </main>
        {panelOpen && <CamerasPanel client={client} cameras={ordered} onChanged={engine.upsert} onRemoved={engine.remove} onClose={() => setPanelOpen(false)} />}
      </div>
      <StatusBar client={client} cameras={engine.cameras} eventsConnected={engine.connected} />
    </div>
  );
}
