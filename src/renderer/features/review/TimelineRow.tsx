// One camera's row of the timeline: detection density stacked by label (recharts), recorded
// spans as a band, incidents as severity-coloured markers that jump to them when clicked.
// Laid out on the shared range; the chart has no margins or visible axes, so its plot spans
// the row exactly and time-scale.ts maps times to the same pixels as the markers.
import { memo, useEffect, useMemo } from 'react';
import { Area, ComposedChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { Timeline, TimelineIncident } from '../../../shared/review';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { densitySeries, labelColour, SEVERITY_COLOURS } from './density';
import { incidentMarkers, markerTitle } from './incident-markers';
import { clipSpans, coveredMs } from './segments';
import { timeToX, type TimeRange } from './time-scale';
import { formatClock } from './time-ticks';
import { useTimeline } from './useReviewData';

export const ROW_HEIGHT = 56;
const COVERAGE_COLOUR = '#4cc38a';
/** Markers are this wide (clickable however short the incident); closer ones merge. */
const MARKER_PX = 12;

export interface TimelineRowProps {
  client: ApiClient;
  cameraId: string;
  range: TimeRange;
  width: number;
  buckets: number;
  selectedIncidentId: string | null;
  onIncident(incident: TimelineIncident, cameraId: string): void;
  /** Hands the loaded timeline up (the players use its coverage to skip gaps). */
  onLoaded(cameraId: string, timeline: Timeline): void;
}

export function TimelineRow({ client, cameraId, range, width, buckets, selectedIncidentId, onIncident, onLoaded }: TimelineRowProps) {
  const fetched = useTimeline(client, cameraId, range, buckets);
  const timeline = fetched.data;
  useEffect(() => {
    if (timeline) onLoaded(cameraId, timeline);
  }, [cameraId, timeline, onLoaded]);

  const coverage = useMemo(() => (timeline ? clipSpans(timeline.coverage, range) : []), [timeline, range]);
  const incidents = useMemo(() => (timeline ? timeline.incidents.filter((i) => (i.endedAt ?? Number.MAX_SAFE_INTEGER) >= range.from && i.startedAt <= range.to) : []), [timeline, range]);
  const markers = useMemo(() => incidentMarkers(incidents, range, width, MARKER_PX), [incidents, range, width]);
  return (
    <div
      className="review-row"
      data-testid="review-timeline-row"
      data-camera-id={cameraId}
      data-loading={fetched.loading ? 'true' : undefined}
      data-error={fetched.error?.code}
      data-coverage-spans={coverage.length}
      data-coverage-ms={Math.round(coveredMs(coverage, range))}
      data-incidents={incidents.length}
    >
      {timeline && width > 0 && (
        <div className="review-chart">
          <DensityChart timeline={timeline} range={range} width={width} coverage={coverage} incidents={incidents} selectedIncidentId={selectedIncidentId} />
        </div>
      )}
      <div className="review-coverage-strip" aria-hidden="true">
        {coverage.map((span) => (
          <span key={span.from} className="review-coverage" data-testid="review-coverage" style={placeStyle(range, width, span.from, span.to, 1)} />
        ))}
      </div>
      {incidents.map((incident) => (
        <span key={incident.id} className={`review-incident-span sev-${incident.severity}`} style={placeStyle(range, width, incident.startedAt, incident.endedAt ?? range.to, 2)} aria-hidden="true" />
      ))}
      {markers.map((marker) => {
        const first = marker.incidents[0]!;
        const chosen = marker.incidents.findIndex((i) => i.id === selectedIncidentId);
        return (
          <button
            key={first.id}
            type="button"
            className={`review-incident sev-${marker.severity}${chosen >= 0 ? ' selected' : ''}`}
            data-testid={`review-incident-${first.id}`}
            data-incident-ids={marker.incidents.map((i) => i.id).join(' ')}
            data-timeline-control="true"
            style={{ left: Math.round(marker.x - MARKER_PX / 2), width: MARKER_PX }}
            title={markerTitle(marker, formatClock) + (marker.incidents.length > 1 ? '\nClick again for the next one.' : '')}
            // Several incidents at one moment: each click opens the next of them.
            onClick={() => onIncident(marker.incidents[(chosen + 1) % marker.incidents.length]!, cameraId)}
          >
            {marker.incidents.length > 1 ? marker.incidents.length : ''}
          </button>
        );
      })}
      {fetched.loading && !timeline && <span className="review-row-note muted">Loading…</span>}
      {fetched.error && (
        <span className="review-row-note review-row-error" data-testid="review-timeline-error" data-code={fetched.error.code} title={fetched.error.message}>
          <span className="reason-code">{fetched.error.code}</span> {describeCode(fetched.error.code)}
        </span>
      )}
    </div>
  );
}

/** left/width (CSS px) of a span on the row, at least `minPx` wide, clipped to the row. */
function placeStyle(range: TimeRange, width: number, from: number, to: number, minPx: number): { left: number; width: number } {
  const x1 = Math.max(0, timeToX(range, width, from));
  const x2 = Math.min(width, timeToX(range, width, to));
  return { left: Math.min(x1, width - minPx), width: Math.max(minPx, x2 - x1) };
}

interface ChartProps {
  timeline: Timeline;
  range: TimeRange;
  width: number;
  coverage: TimeRange[];
  incidents: TimelineIncident[];
  selectedIncidentId: string | null;
}

/** The recharts part; memoised, since the row re-renders on every pan step while its data waits. */
const DensityChart = memo(function DensityChart({ timeline, range, width, coverage, incidents, selectedIncidentId }: ChartProps) {
  const series = useMemo(() => densitySeries(timeline.density, timeline.to), [timeline]);
  return (
    <ComposedChart width={width} height={ROW_HEIGHT} data={series.rows} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
      <XAxis dataKey="at" type="number" domain={[range.from, range.to]} allowDataOverflow hide />
      <YAxis hide domain={[0, Math.max(1, series.max)]} allowDataOverflow />
      {coverage.map((span) => (
        <ReferenceArea key={span.from} x1={span.from} x2={span.to} fill={COVERAGE_COLOUR} fillOpacity={0.1} stroke="none" ifOverflow="hidden" />
      ))}
      {series.labels.map((label) => (
        <Area
          key={label}
          name={label}
          type="stepAfter"
          dataKey={(row: Record<string, number | null>) => row[label] ?? null}
          stackId="density"
          stroke={labelColour(label)}
          strokeWidth={1}
          fill={labelColour(label)}
          fillOpacity={0.35}
          isAnimationActive={false}
          dot={false}
          activeDot={false}
        />
      ))}
      {incidents.map((incident) => (
        <ReferenceLine key={incident.id} x={incident.startedAt} stroke={SEVERITY_COLOURS[incident.severity]} strokeWidth={incident.id === selectedIncidentId ? 2.5 : 1.5} ifOverflow="hidden" />
      ))}
    </ComposedChart>
  );
});
