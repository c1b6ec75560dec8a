import { useEffect, useMemo, useState } from 'react';
import type { HealthCameraDetect } from '../../shared/api';
import type { ApiClient } from '../api/client';
import { AlertBanners } from '../features/alerts/AlertBanners';
import { AlertsButton, AlertsPanelSlot } from '../features/alerts/AlertsEntry';
import { AnalysisPanel } from '../features/analysis/AnalysisPanel';
import { isActive } from '../features/analysis/jobs';
import { useAnalysisJobs } from '../features/analysis/useAnalysisJobs';
import { CamerasPanel } from '../features/cameras/CamerasPanel';
import { Grid, SingleView } from '../features/grid/Grid';
import { applyOrder, clampPage, fitLayout, moveToIndex, pageCount, pageOf, swapInOrder, type Layout } from '../features/grid/layout';
import { LayoutBar, Pager } from '../features/grid/LayoutBar';
import type { TileDetection } from '../features/grid/Tile';
import { useGridPrefs } from '../features/grid/useGridPrefs';
import { StatusBar } from '../features/health/StatusBar';
import { useHealth } from '../features/health/useHealth';
import { IncidentQueue } from '../features/incidents/IncidentQueue';
import { OverlaysToggle } from '../features/overlay/OverlayToggle';
import { ReviewButton, ReviewHost } from '../features/review/ReviewHost';
import { useOverlayPrefs } from '../features/overlay/useOverlayPrefs';
import { ZoneEditor } from '../features/zones/ZoneEditor';
import { useEngine } from './useEngine';

type SidePanel = 'cameras' | 'analysis' | null;

export function App({ client }: { client: ApiClient }) {
  const engine = useEngine(client);
  const health = useHealth(client);
  const prefs = useGridPrefs(client.prefs);
  const overlays = useOverlayPrefs(client.prefs);
  const [page, setPage] = useState(0);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [panel, setPanel] = useState<SidePanel>(null);
  const [zonesCameraId, setZonesCameraId] = useState<string | null>(null);
  const analysis = useAnalysisJobs(client, engine.listen, panel === 'analysis');
  const togglePanel = (which: Exclude<SidePanel, null>) => setPanel((current) => (current === which ? null : which));

  const ordered = useMemo(() => applyOrder(engine.cameras, prefs.order), [engine.cameras, prefs.order]);
  const layout: Layout = prefs.layout ?? fitLayout(ordered.length);
  const currentPage = clampPage(page, ordered.length, layout);
  const focused = focusId ? ordered.find((c) => c.id === focusId) : undefined;
  const zonesCamera = zonesCameraId ? engine.cameras.find((c) => c.id === zonesCameraId) : undefined;

  const healthCameras = health.health?.cameras;
  const detectById = useMemo(() => {
    const map = new Map<string, HealthCameraDetect>();
    for (const row of healthCameras ?? []) if (row.detect) map.set(row.id, row.detect);
    return map;
  }, [healthCameras]);
  const detection: TileDetection = useMemo(
    () => ({ store: engine.detections, overlays: overlays.enabled, overlaysOff: overlays.off, onToggleOverlay: overlays.toggleCamera, detect: detectById }),
    [engine.detections, overlays.enabled, overlays.off, overlays.toggleCamera, detectById],
  );

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

  const running = analysis.jobs.filter(isActive).length;
  const ready = prefs.loaded && engine.loaded;
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Vigil</h1>
        <LayoutBar layout={layout} onLayout={chooseLayout} />
        {!focused && <Pager page={currentPage} pages={pageCount(ordered.length, layout)} onPage={setPage} />}
        <div className="spacer" />
        <OverlaysToggle enabled={overlays.enabled} onChange={overlays.setEnabled} />
        <button
          type="button"
          data-testid="analyse-open"
          aria-pressed={panel === 'analysis'}
          className={panel === 'analysis' ? 'active' : undefined}
          onClick={() => togglePanel('analysis')}
          title="Run the detector over a video file"
        >
          Analyse footage
          {running > 0 && (
            <span className="count-pill" data-testid="analysis-running" title={`${running} analysis job${running === 1 ? '' : 's'} running`}>
              {running}
            </span>
          )}
        </button>
        {/* -- header buttons: review -- */}
        <ReviewButton />
        {/* -- header buttons: alerts -- */}
        <AlertsButton onOpen={() => setPanel(null)} />
        <button type="button" data-testid="toggle-cameras" aria-pressed={panel === 'cameras'} className={panel === 'cameras' ? 'active' : undefined} onClick={() => togglePanel('cameras')}>
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
            <SingleView client={client} camera={focused} onClose={() => setFocusId(null)} detection={detection} />
          ) : ordered.length === 0 ? (
            <div className="placeholder" data-testid="no-cameras">
              No cameras.{' '}
              <button type="button" onClick={() => setPanel('cameras')}>
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
              detection={detection}
            />
          )}
        </main>
        {panel === 'cameras' && <CamerasPanel client={client} cameras={ordered} onChanged={engine.upsert} onRemoved={engine.remove} onClose={() => setPanel(null)} onOpenZones={setZonesCameraId} />}
        {panel === 'analysis' && <AnalysisPanel analysis={analysis} onClose={() => setPanel(null)} />}
        {/* -- panels: review -- */}
        <ReviewHost client={client} cameras={ordered} listen={engine.listen} />
        {/* -- panels: alerts -- */}
        <AlertsPanelSlot client={client} listen={engine.listen} cameras={ordered} otherPanel={panel} />
        <AlertBanners listen={engine.listen} />
        <IncidentQueue client={client} listen={engine.listen} onShowCamera={setFocusId} />
      </div>
      {zonesCamera && <ZoneEditor key={zonesCamera.id} client={client} camera={zonesCamera} onClose={() => setZonesCameraId(null)} />}
      <StatusBar health={health} cameras={engine.cameras} eventsConnected={engine.connected} />
    </div>
  );
}
