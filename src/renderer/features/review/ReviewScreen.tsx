// The operator's review screen (in place of the live grid): up to four cameras' recordings
// played on one clock, a timeline per camera, and export of a chosen range.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { Timeline as TimelineData, TimelineIncident } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import { CameraPicker } from './CameraPicker';
import { ReviewClock } from './review-clock';
import { ReviewLoop } from './review-loop';
import { findNextFootage } from './next-footage';
import { defaultCameras, exportRange, incidentRange, INCIDENT_PREROLL_MS, OPEN_BACK_MS, toggleCamera, withCameraFirst } from './review-plan';
import { closeReview, requestExport, type ReviewRequest } from './review-store';
import { ReviewPlayer } from './ReviewPlayer';
import { formatDuration, formatRange } from './time-ticks';
import { clampRange, followPlayhead, panRange, spanOf, zoomAround, zoomToSpan, ZOOM_PRESETS, type TimeRange, type ZoomPresetId } from './time-scale';
import { Timeline } from './Timeline';
import { STEP_MS, Transport } from './Transport';
import { useReviewKeys } from './useReviewKeys';

export interface ReviewScreenProps {
  client: ApiClient;
  cameras: readonly CameraView[];
  request: ReviewRequest | null;
}

const DEFAULT_SPAN = ZOOM_PRESETS[1].spanMs;
const INCIDENT_SPAN = ZOOM_PRESETS[0].spanMs;
/** After the operator moved the timeline, it stops following the playhead for a while. */
const FOLLOW_PAUSE_MS = 5000;
/** The coarse clock (which stretch of segments and tracks to fetch) moves in these steps. */
const AROUND_STEP_MS = 5000;

interface SelectedIncident {
  incident: TimelineIncident;
  cameraId: string;
}

export function ReviewScreen({ client, cameras, request }: ReviewScreenProps) {
  const startAt = request?.at ?? Date.now() - OPEN_BACK_MS;
  // One clock for the screen's life; later requests seek it.
  const [clock] = useState(() => new ReviewClock(startAt, () => performance.now()));
  const [loop] = useState(() => new ReviewLoop(clock));
  const [cameraIds, setCameraIds] = useState<string[]>(() => (request?.cameraId ? [request.cameraId] : defaultCameras(cameras)));
  const [range, setRangeState] = useState<TimeRange>(() => zoomToSpan(request?.at ? INCIDENT_SPAN : DEFAULT_SPAN, startAt, Date.now()));
  const [selection, setSelection] = useState<TimeRange | null>(() => request?.range ?? null);
  const [selected, setSelected] = useState<SelectedIncident | null>(null);
  const [timelines, setTimelines] = useState<Record<string, TimelineData>>({});
  const [around, setAroundState] = useState(startAt);
  const aroundRef = useRef(startAt);
  const setAround = useCallback((t: number) => {
    aroundRef.current = t;
    setAroundState(t);
  }, []);
  const [ended, setEnded] = useState(false);
  const [boxes, setBoxes] = useState(true);
  const followPausedUntil = useRef(0);
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const cameraIdsRef = useRef(cameraIds);
  cameraIdsRef.current = cameraIds;

  /** A range change by the operator (not by following the playhead). */
  const setRange = useCallback((next: TimeRange) => {
    followPausedUntil.current = performance.now() + FOLLOW_PAUSE_MS;
    setRangeState(clampRange(next, Date.now()));
  }, []);

  const seek = useCallback(
    (t: number) => {
      setEnded(false);
      clock.seek(t);
      setAround(t);
      loop.frame(); // the picture follows now, not a frame later
    },
    [clock, loop, setAround],
  );

  // A request while open (another incident's Review button): go there.
  const handled = useRef(request?.seq ?? 0);
  useEffect(() => {
    if (!request || request.seq === handled.current) return;
    handled.current = request.seq;
    if (request.cameraId) setCameraIds((ids) => withCameraFirst(ids, request.cameraId!));
    if (request.at !== undefined) {
      seek(request.at);
      setRangeState(zoomToSpan(INCIDENT_SPAN, request.at, Date.now()));
    }
    setSelection(request.range ?? null);
    setSelected(null);
  }, [request, seek]);
  useEffect(() => {
    // Nothing known ahead: ask the engine where footage resumes (a long gap), else stop there.
    loop.onEnd = (t) => {
      const jumps = clock.jumpCount;
      void findNextFootage(client, cameraIdsRef.current, t).then((next) => {
        if (clock.jumpCount !== jumps || clock.snapshot.playing) return; // the operator moved on meanwhile
        if (next === null) setEnded(true);
        else {
          seek(next);
          clock.play();
        }
      });
    };
    loop.start();
    // The coarse clock and the timeline following the playhead.
    const off = loop.add(({ t, playing }) => {
      if (Math.abs(t - aroundRef.current) >= AROUND_STEP_MS) setAround(t);
      if (playing && performance.now() > followPausedUntil.current) {
        const next = followPlayhead(rangeRef.current, t);
        if (next) setRangeState(next);
      }
    });
    return () => {
      off();
      loop.stop();
      loop.onEnd = null;
    };
  }, [client, clock, loop, seek, setAround]);

  useEffect(() => clock.subscribe(() => clock.snapshot.playing && setEnded(false)), [clock]);

  useReviewKeys({
    onToggle: () => clock.toggle(),
    onStep: (sign) => seek(clock.time() + sign * STEP_MS),
    onPan: (sign) => setRange(panRange(rangeRef.current, sign * spanOf(rangeRef.current) * 0.25, Date.now())),
  });

  const onLoaded = useCallback((cameraId: string, timeline: TimelineData) => setTimelines((prev) => ({ ...prev, [cameraId]: timeline })), []);
  const onIncident = useCallback(
    (incident: TimelineIncident, cameraId: string) => {
      setSelected({ incident, cameraId });
      setSelection(incidentRange(incident, Date.now()));
      seek(incident.startedAt - INCIDENT_PREROLL_MS);
    },
    [seek],
  );
  const gestures = {
    onSeek: seek,
    onPan: (next: TimeRange) => setRange(panRange(next, 0, Date.now())),
    onZoom: (factor: number, anchor: number) => setRange(zoomAround(rangeRef.current, factor, anchor, Date.now())),
    onSelect: (next: TimeRange | null) => setSelection(next),
  };
  const onPreset = (id: ZoomPresetId) => setRange(zoomToSpan(ZOOM_PRESETS.find((p) => p.id === id)!.spanMs, clock.time(), Date.now()));

  const openExport = () => {
    const span = exportRange(selection, clock.time());
    const ids = selected ? withCameraFirst(cameraIds, selected.cameraId) : cameraIds;
    requestExport({ ...(selected ? { incidentId: selected.incident.id } : {}), cameraIds: ids, from: span.from, to: span.to });
  };

  const nameOf = (id: string) => cameras.find((c) => c.id === id)?.name ?? id;
  return (
    <section className="review-screen" data-testid="review-panel" aria-label="Review">
      <div className="review-head">
        <h2>Review</h2>
        <CameraPicker cameras={cameras} selected={cameraIds} onToggle={(id) => setCameraIds((ids) => toggleCamera(ids, id))} />
        <div className="spacer" />
        <button type="button" data-testid="review-boxes" aria-pressed={boxes} onClick={() => setBoxes(!boxes)} title="Draw the stored detection boxes over the recordings">
          Stored boxes
        </button>
        <button type="button" data-testid="review-export" onClick={openExport} disabled={cameraIds.length === 0} title="Export the selected range (Shift+drag on the timeline) of these cameras">
          Export…
        </button>
        <button type="button" className="primary" data-testid="review-live" onClick={closeReview} title="Back to the live grid">
          Live
        </button>
      </div>
      <div className={`review-players count-${Math.max(1, cameraIds.length)}`}>
        {cameraIds.map((id) => (
          <ReviewPlayer key={id} client={client} cameraId={id} name={nameOf(id)} loop={loop} around={around} coverage={timelines[id]?.coverage ?? NO_SPANS} boxes={boxes} />
        ))}
        {cameraIds.length === 0 && <div className="placeholder">Pick a camera to review.</div>}
      </div>
      <Transport clock={clock} loop={loop} ended={ended} />
      <SelectionLine selection={selection} selected={selected} onClear={() => (setSelection(null), setSelected(null))} />
      <Timeline
        client={client}
        loop={loop}
        cameraIds={cameraIds}
        cameras={cameras}
        range={range}
        selection={selection}
        selectedIncidentId={selected?.incident.id ?? null}
        onPreset={onPreset}
        onPanBy={(share) => setRange(panRange(range, share * spanOf(range), Date.now()))}
        onIncident={onIncident}
        onLoaded={onLoaded}
        {...gestures}
      />
    </section>
  );
}

const NO_SPANS: TimeRange[] = [];

function SelectionLine({ selection, selected, onClear }: { selection: TimeRange | null; selected: SelectedIncident | null; onClear(): void }) {
  if (!selection && !selected) return null;
  return (
    <div className="review-selection-line" data-testid="review-selection-line">
      {selected && (
        <span className={`sev-fg-${selected.incident.severity}`} data-testid="review-selected-incident" data-incident-id={selected.incident.id}>
          {selected.incident.ruleName}
          {selected.incident.label ? ` · ${selected.incident.label}` : ''}
        </span>
      )}
      {selection && (
        <span className="muted">
          Selected {formatRange(selection)} ({formatDuration(spanOf(selection))})
        </span>
      )}
      <button type="button" className="link" data-testid="review-selection-clear" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
