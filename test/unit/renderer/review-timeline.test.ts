import { describe, expect, it } from 'vitest';
import {
  bucketsFor,
  clampRange,
  DAY,
  followPlayhead,
  HOUR,
  MAX_SPAN_MS,
  MIN_SPAN_MS,
  MINUTE,
  panRange,
  presetOf,
  rangeBetween,
  spanOf,
  timeToX,
  wheelZoomFactor,
  xToTime,
  zoomAround,
  zoomToSpan,
  ZOOM_PRESETS,
} from '../../../src/renderer/features/review/time-scale';
import { formatDuration, formatTick, tickStep, timeTicks } from '../../../src/renderer/features/review/time-ticks';
import { densitySeries } from '../../../src/renderer/features/review/density';
import { incidentMarkers, markerTitle } from '../../../src/renderer/features/review/incident-markers';
import type { TimelineIncident } from '../../../src/shared/review';
import { fetchWindow, reachesPresent, RECORDINGS_WINDOW, TRACKS_WINDOW } from '../../../src/renderer/features/review/fetch-windows';

const NOW = Date.UTC(2025, 5, 10, 12, 0, 0);

describe('time <-> pixels', () => {
  const range = { from: NOW - HOUR, to: NOW };

  it('maps the range onto the width and back', () => {
    expect(timeToX(range, 600, range.from)).toBe(0);
    expect(timeToX(range, 600, range.to)).toBe(600);
    expect(timeToX(range, 600, NOW - 30 * MINUTE)).toBe(300);
    expect(xToTime(range, 600, 150)).toBe(NOW - 45 * MINUTE);
    for (const x of [0, 1, 77.5, 599]) expect(timeToX(range, 600, xToTime(range, 600, x))).toBeCloseTo(x, 6);
  });

  it('survives an empty range or width', () => {
    expect(timeToX({ from: 5, to: 5 }, 600, 5)).toBe(0);
    expect(xToTime(range, 0, 50)).toBe(range.from);
  });
});

describe('zoom and pan', () => {
  it('offers presets from 10 minutes to a week', () => {
    expect(ZOOM_PRESETS.map((p) => p.id)).toEqual(['10m', '1h', '6h', '24h', '7d']);
    expect(ZOOM_PRESETS[0].spanMs).toBe(10 * MINUTE);
    expect(ZOOM_PRESETS[4].spanMs).toBe(7 * DAY);
  });

  it('centres a preset on the playhead, but not far into the future', () => {
    const at = NOW - 2 * HOUR;
    expect(zoomToSpan(HOUR, at, NOW)).toEqual({ from: at - HOUR / 2, to: at + HOUR / 2 });
    const nearNow = zoomToSpan(HOUR, NOW - MINUTE, NOW);
    expect(spanOf(nearNow)).toBe(HOUR);
    expect(nearNow.to).toBe(NOW + HOUR * 0.1);
    expect(presetOf(nearNow)).toBe('1h');
    expect(presetOf({ from: 0, to: 123_456 })).toBeNull();
  });

  it('zooms around the cursor: the time under it stays put', () => {
    const range = { from: NOW - 2 * HOUR, to: NOW - HOUR };
    const anchor = NOW - 2 * HOUR + 15 * MINUTE; // a quarter in
    const zoomedIn = zoomAround(range, 0.5, anchor, NOW);
    expect(spanOf(zoomedIn)).toBe(30 * MINUTE);
    expect(xToTime(zoomedIn, 400, 100)).toBeCloseTo(anchor, -1);
    const zoomedOut = zoomAround(range, 2, anchor, NOW);
    expect(spanOf(zoomedOut)).toBe(2 * HOUR);
    expect(xToTime(zoomedOut, 400, 100)).toBeCloseTo(anchor, -1);
  });

  it('keeps the span between a minute and a week', () => {
    const range = { from: NOW - 2 * MINUTE, to: NOW - MINUTE };
    expect(spanOf(zoomAround(range, 0.01, NOW - 90_000, NOW))).toBe(MIN_SPAN_MS);
    expect(spanOf(zoomAround({ from: NOW - 6 * DAY, to: NOW }, 10, NOW - DAY, NOW))).toBe(MAX_SPAN_MS);
    expect(spanOf(clampRange({ from: 0, to: 10 }, NOW))).toBe(MIN_SPAN_MS);
  });

  it('turns wheel notches into symmetric factors', () => {
    expect(wheelZoomFactor(100)).toBeCloseTo(1.25);
    expect(wheelZoomFactor(-100) * wheelZoomFactor(100)).toBeCloseTo(1);
    expect(wheelZoomFactor(100_000)).toBeCloseTo(Math.pow(1.25, 5));
  });

  it('pans by a time and stops at the future limit', () => {
    const range = { from: NOW - 3 * HOUR, to: NOW - 2 * HOUR };
    expect(panRange(range, -HOUR, NOW)).toEqual({ from: NOW - 4 * HOUR, to: NOW - 3 * HOUR });
    const late = panRange(range, 10 * HOUR, NOW);
    expect(late.to).toBe(NOW + HOUR * 0.1);
    expect(spanOf(late)).toBe(HOUR);
  });

  it('follows the playhead near the right edge only', () => {
    const range = { from: 0, to: 100_000 };
    expect(followPlayhead(range, 50_000)).toBeNull();
    expect(followPlayhead(range, 99_000)).toEqual({ from: 79_000, to: 179_000 });
    expect(followPlayhead(range, -5_000)).toEqual({ from: -25_000, to: 75_000 });
  });

  it('selects a range from a drag in either direction, ignoring tiny ones', () => {
    expect(rangeBetween(5000, 1000)).toEqual({ from: 1000, to: 5000 });
    expect(rangeBetween(1000, 1500)).toBeNull();
  });

  it('asks for about one bucket per 3 px within the API limit', () => {
    expect(bucketsFor(900)).toBe(300);
    expect(bucketsFor(10)).toBe(20);
    expect(bucketsFor(100_000, 2000)).toBe(2000);
  });
});

describe('ticks in local time', () => {
  it('picks a step giving at most the wanted number of ticks', () => {
    expect(tickStep(10 * MINUTE, 10)).toBe(MINUTE);
    expect(tickStep(HOUR, 8)).toBe(10 * MINUTE);
    expect(tickStep(7 * DAY, 8)).toBe(DAY);
  });

  it('places ticks on round local clock times inside the range', () => {
    const range = { from: NOW - HOUR + 123_456, to: NOW + 77_000 };
    const ticks = timeTicks(range, 8);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.length).toBeLessThanOrEqual(8);
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(range.from);
      expect(t).toBeLessThanOrEqual(range.to);
      const d = new Date(t);
      expect(d.getMinutes() % 10).toBe(0);
      expect(d.getSeconds()).toBe(0);
    }
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(10 * MINUTE);
  });

  it('labels with seconds under a minute step and with the date at day steps', () => {
    const t = new Date(2025, 5, 10, 14, 30, 20).getTime();
    expect(formatTick(t, 10_000)).toBe(new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    expect(formatTick(t, 10 * MINUTE)).toBe(new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    const midnight = new Date(2025, 5, 10).getTime();
    expect(formatTick(midnight, DAY)).toBe(new Date(midnight).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }));
  });

  it('words durations', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatDuration(2 * HOUR + 5 * MINUTE)).toBe('2 h 5 min');
    expect(formatDuration(3 * DAY)).toBe('3 d');
  });
});

describe('detection density for the chart', () => {
  it('stacks by label, most frequent first, with zeros where a label is absent', () => {
    const series = densitySeries(
      [
        { at: 0, count: 3, byLabel: { person: 2, car: 1 } },
        { at: 1000, count: 4, byLabel: { person: 4 } },
        { at: 2000, count: 0, byLabel: {} },
      ],
      3000,
    );
    expect(series.labels).toEqual(['person', 'car']);
    expect(series.max).toBe(4);
    expect(series.rows).toEqual([
      { at: 0, person: 2, car: 1 },
      { at: 1000, person: 4, car: 0 },
      { at: 2000, person: 0, car: 0 },
      { at: 3000, person: 0, car: 0 },
    ]);
  });

  it('leaves idle stretches empty, bringing the step down once after activity', () => {
    const series = densitySeries(
      [
        { at: 0, count: 0, byLabel: {} },
        { at: 1000, count: 1, byLabel: { person: 1 } },
        { at: 2000, count: 0, byLabel: {} },
        { at: 3000, count: 0, byLabel: {} },
      ],
      4000,
    );
    expect(series.rows.map((r) => r.person)).toEqual([null, 1, 0, null, null]);
  });

  it('is empty without buckets', () => {
    expect(densitySeries([], 1000)).toEqual({ rows: [], labels: [], max: 0 });
  });
});

describe('fetch windows around the playhead', () => {
  it('moves in whole steps and keeps room ahead', () => {
    const t = NOW + 2 * MINUTE + 5000;
    const w = fetchWindow(t, RECORDINGS_WINDOW);
    expect(fetchWindow(t + 60_000, RECORDINGS_WINDOW)).toEqual(w);
    expect(w.from).toBeLessThanOrEqual(t - RECORDINGS_WINDOW.beforeMs);
    expect(w.to).toBeGreaterThanOrEqual(t + RECORDINGS_WINDOW.afterMs);
    const tracks = fetchWindow(t, TRACKS_WINDOW);
    expect(tracks.to - tracks.from).toBe(TRACKS_WINDOW.beforeMs + TRACKS_WINDOW.stepMs + TRACKS_WINDOW.afterMs);
    expect(tracks.from).toBeLessThanOrEqual(t - TRACKS_WINDOW.beforeMs);
  });

  it('knows when a window still grows', () => {
    expect(reachesPresent({ from: NOW - HOUR, to: NOW - 10_000 }, NOW)).toBe(true);
    expect(reachesPresent({ from: NOW - 2 * HOUR, to: NOW - HOUR }, NOW)).toBe(false);
  });
});

describe('incident markers', () => {
  const incident = (id: string, startedAt: number, severity: TimelineIncident['severity']): TimelineIncident => ({ id, ruleName: 'Walkway', type: 'presence', severity, state: 'new', startedAt, endedAt: null, label: 'person' });
  const range = { from: 0, to: 100_000 };

  it('merges markers closer than a marker, most severe first', () => {
    const markers = incidentMarkers([incident('a', 10_000, 'low'), incident('b', 10_200, 'critical'), incident('c', 50_000, 'medium'), incident('d', 200_000, 'high')], range, 1000, 12);
    expect(markers.map((m) => ({ x: m.x, ids: m.incidents.map((i) => i.id), severity: m.severity }))).toEqual([
      { x: 100, ids: ['b', 'a'], severity: 'critical' },
      { x: 500, ids: ['c'], severity: 'medium' },
    ]);
  });

  it('keeps markers apart once zoomed in far enough', () => {
    expect(incidentMarkers([incident('a', 10_000, 'low'), incident('b', 10_200, 'critical')], { from: 9_000, to: 12_000 }, 1000, 12)).toHaveLength(2);
  });

  it('lists the incidents of a marker in its tooltip', () => {
    const [marker] = incidentMarkers(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => incident(id, 1000, 'high')), range, 1000, 12);
    const title = markerTitle(marker!, (t) => `t${t}`);
    expect(title.split('\n')).toHaveLength(6);
    expect(title).toContain('Walkway (high) — t1000 · person');
    expect(title).toContain('and 2 more');
  });
});
