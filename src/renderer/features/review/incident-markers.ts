// Incident markers on a timeline row. A rule raises one incident per object, so a group
// walking into a zone raises several at the same moment: markers closer than a marker's
// width become one marker (most severe first) rather than a pile only the top one of which
// can be clicked. Pure.
import type { TimelineIncident } from '../../../shared/review';
import type { Severity } from '../../../shared/rules';
import { timeToX, type TimeRange } from './time-scale';

export interface IncidentMarker {
  /** CSS px from the plot's left edge. */
  x: number;
  /** Most severe first, then earliest: the first is the one a click opens. */
  incidents: TimelineIncident[];
  severity: Severity;
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function incidentMarkers(incidents: readonly TimelineIncident[], range: TimeRange, width: number, markerPx: number): IncidentMarker[] {
  const visible = incidents.filter((i) => i.startedAt >= range.from && i.startedAt <= range.to).sort((a, b) => a.startedAt - b.startedAt);
  const markers: IncidentMarker[] = [];
  for (const incident of visible) {
    const x = timeToX(range, width, incident.startedAt);
    const last = markers[markers.length - 1];
    if (last && x - last.x < markerPx) last.incidents.push(incident);
    else markers.push({ x, incidents: [incident], severity: incident.severity });
  }
  for (const marker of markers) {
    marker.incidents.sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.startedAt - b.startedAt);
    marker.severity = marker.incidents[0]!.severity;
  }
  return markers;
}

/** The marker's tooltip: each incident (up to five) on a line. */
export function markerTitle(marker: IncidentMarker, formatTime: (t: number) => string): string {
  const lines = marker.incidents.slice(0, 5).map((i) => `${i.ruleName} (${i.severity}) — ${formatTime(i.startedAt)}${i.label ? ` · ${i.label}` : ''}`);
  if (marker.incidents.length > 5) lines.push(`and ${marker.incidents.length - 5} more`);
  return lines.join('\n');
}
