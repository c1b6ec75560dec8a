// The timeline under the players: zoom presets and pan, a local-time axis, one row per
// camera, the export selection and the playhead (moved every frame without re-rendering).
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { Timeline as TimelineData, TimelineIncident } from '../../../shared/review';
import { TIMELINE_MAX_BUCKETS } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import type { ReviewLoop } from './review-loop';
import { bucketsFor, presetOf, timeToX, ZOOM_PRESETS, type TimeRange, type ZoomPresetId } from './time-scale';
import { formatRange, formatTick, tickStep, timeTicks } from './time-ticks';
import { TimelineRow } from './TimelineRow';
import { useTimelineGestures, type TimelineGestures } from './useTimelineGestures';

export interface TimelineProps extends TimelineGestures {
  client: ApiClient;
  loop: ReviewLoop;
  cameraIds: string[];
  cameras: readonly CameraView[];
  range: TimeRange;
  selection: TimeRange | null;
  selectedIncidentId: string | null;
  onPreset(id: ZoomPresetId): void;
  /** Pans by a share of the visible span (negative: earlier). */
  onPanBy(share: number): void;
  onIncident(incident: TimelineIncident, cameraId: string): void;
  onLoaded(cameraId: string, timeline: TimelineData): void;
}

const MAX_TICKS_PER_100PX = 1;

export function Timeline(props: TimelineProps) {
  const { client, loop, cameraIds, cameras, range, selection, selectedIncidentId } = props;
  const plotRef = useRef<HTMLDivElement>(null);
  const playheadRef = useRef<HTMLDivElement>(null);
  const width = useWidth(plotRef);
  useTimelineGestures(plotRef, range, props);

  // The playhead follows the clock every frame; range and width are read from a ref.
  const layout = useRef({ range, width });
  layout.current = { range, width };
  useEffect(
    () =>
      loop.add(({ t }) => {
        const el = playheadRef.current;
        if (!el) return;
        const { range: r, width: w } = layout.current;
        const x = timeToX(r, w, t);
        const shown = x >= 0 && x <= w;
        el.style.transform = `translateX(${Math.round(x)}px)`;
        el.hidden = !shown;
        el.dataset.t = String(Math.round(t));
      }),
    [loop],
  );

  const maxTicks = Math.max(2, Math.floor((width / 100) * MAX_TICKS_PER_100PX));
  const ticks = width > 0 ? timeTicks(range, maxTicks) : [];
  const step = tickStep(range.to - range.from, maxTicks);
  const buckets = bucketsFor(width, TIMELINE_MAX_BUCKETS);
  const preset = presetOf(range);
  const nameOf = (id: string) => cameras.find((c) => c.id === id)?.name ?? id;

  return (
    <section className="review-timeline" data-testid="review-timeline" data-from={range.from} data-to={range.to} aria-label="Timeline">
      <div className="review-timeline-bar">
        <div className="review-zoom" role="group" aria-label="Zoom">
          {ZOOM_PRESETS.map((p) => (
            <button key={p.id} type="button" data-testid={`review-zoom-${p.id}`} aria-pressed={preset === p.id} onClick={() => props.onPreset(p.id)} title={`Show ${p.label} around the playhead`}>
              {p.label}
            </button>
          ))}
        </div>
        <button type="button" className="icon" data-testid="review-pan-back" onClick={() => props.onPanBy(-0.5)} title="Earlier (Shift+Left)">
          ‹
        </button>
        <button type="button" className="icon" data-testid="review-pan-forward" onClick={() => props.onPanBy(0.5)} title="Later (Shift+Right)">
          ›
        </button>
        <span className="muted review-range-label" data-testid="review-range">
          {formatRange(range)}
        </span>
        <span className="spacer" />
        <span className="muted review-hint">Click: go to · drag or Shift+←/→: move · wheel: zoom · Shift+drag: select for export</span>
      </div>
      <div className="review-timeline-body">
        <div className="review-timeline-labels">
          <div className="review-axis-label" />
          {cameraIds.map((id) => (
            <div key={id} className="review-row-label" title={nameOf(id)}>
              {nameOf(id)}
            </div>
          ))}
        </div>
        <div className="review-timeline-plot" ref={plotRef}>
          <div className="review-axis" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t} className="review-tick" style={{ left: timeToX(range, width, t) }}>
                {formatTick(t, step)}
              </span>
            ))}
          </div>
          {cameraIds.map((id) => (
            <TimelineRow
              key={id}
              client={client}
              cameraId={id}
              range={range}
              width={width}
              buckets={buckets}
              selectedIncidentId={selectedIncidentId}
              onIncident={props.onIncident}
              onLoaded={props.onLoaded}
            />
          ))}
          {selection && (
            <div
              className="review-selection"
              data-testid="review-selection"
              data-from={selection.from}
              data-to={selection.to}
              style={{ left: Math.max(0, timeToX(range, width, selection.from)), width: Math.max(1, Math.min(width, timeToX(range, width, selection.to)) - Math.max(0, timeToX(range, width, selection.from))) }}
            />
          )}
          <div className="review-playhead" data-testid="review-playhead" ref={playheadRef} hidden />
        </div>
      </div>
    </section>
  );
}

/** The element's CSS width, kept current. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setWidth(Math.round(last.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
