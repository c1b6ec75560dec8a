// The timeline's visible range and how it maps onto pixels; zoom and pan. Pure: times are
// engine wall-clock milliseconds, x is CSS pixels from the left edge of the plot.

export interface TimeRange {
  from: number;
  to: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Zoom presets, narrowest first: the whole range the timeline shows at once. */
export const ZOOM_PRESETS = [
  { id: '10m', label: '10 min', spanMs: 10 * MINUTE },
  { id: '1h', label: '1 h', spanMs: HOUR },
  { id: '6h', label: '6 h', spanMs: 6 * HOUR },
  { id: '24h', label: '24 h', spanMs: DAY },
  { id: '7d', label: '7 d', spanMs: 7 * DAY },
] as const;
export type ZoomPresetId = (typeof ZOOM_PRESETS)[number]['id'];

/** Wheel zoom stops here: a minute still shows each 10 s segment, a week is the widest preset. */
export const MIN_SPAN_MS = MINUTE;
export const MAX_SPAN_MS = 7 * DAY;
/** How far past `now` the range may reach: a little, so the live edge is not glued to the border. */
const FUTURE_SHARE = 0.1;

export function spanOf(range: TimeRange): number {
  return range.to - range.from;
}

export function timeToX(range: TimeRange, width: number, t: number): number {
  const span = spanOf(range);
  return span > 0 ? ((t - range.from) / span) * width : 0;
}

export function xToTime(range: TimeRange, width: number, x: number): number {
  return width > 0 ? range.from + (x / width) * spanOf(range) : range.from;
}

/** Keeps the span between the zoom limits and the range from running far into the future. */
export function clampRange(range: TimeRange, now: number): TimeRange {
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanOf(range)));
  const centre = (range.from + range.to) / 2;
  let from = centre - span / 2;
  const latestTo = now + span * FUTURE_SHARE;
  if (from + span > latestTo) from = latestTo - span;
  return { from: Math.round(from), to: Math.round(from + span) };
}

/** A preset's span centred on `at` (the playhead), clamped. */
export function zoomToSpan(spanMs: number, at: number, now: number): TimeRange {
  return clampRange({ from: at - spanMs / 2, to: at + spanMs / 2 }, now);
}

/**
 * Zooms by `factor` (>1 zooms out) keeping the time under the cursor where it is on screen,
 * so the wheel zooms "into" what the pointer is on.
 */
export function zoomAround(range: TimeRange, factor: number, anchor: number, now: number): TimeRange {
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanOf(range) * factor));
  const share = spanOf(range) > 0 ? (anchor - range.from) / spanOf(range) : 0.5;
  const from = anchor - share * span;
  const zoomed = { from: Math.round(from), to: Math.round(from + span) };
  // Clamping against the future may move the range; the span is already within limits.
  const latestTo = now + span * FUTURE_SHARE;
  return zoomed.to > latestTo ? { from: Math.round(latestTo - span), to: Math.round(latestTo) } : zoomed;
}

/** Wheel movement (pixels, or lines x 40) to a zoom factor: one notch (100 px) is 1.25x. */
export function wheelZoomFactor(deltaY: number): number {
  const notches = Math.max(-5, Math.min(5, deltaY / 100));
  return Math.pow(1.25, notches);
}

/** Moves the range by `deltaMs` (positive: later), never past the future limit. */
export function panRange(range: TimeRange, deltaMs: number, now: number): TimeRange {
  const span = spanOf(range);
  const latestTo = now + span * FUTURE_SHARE;
  const to = Math.min(latestTo, range.to + deltaMs);
  return { from: Math.round(to - span), to: Math.round(to) };
}

/**
 * While playing, the range follows the playhead: once it nears the right edge (or is out of
 * view) the range jumps so the playhead sits a fifth in from the left. Null: leave it alone.
 */
export function followPlayhead(range: TimeRange, t: number): TimeRange | null {
  const span = spanOf(range);
  if (t >= range.from && t <= range.to - span * 0.02) return null;
  const from = Math.round(t - span * 0.2);
  return { from, to: from + span };
}

/** The preset whose span this range has, if any (to highlight its button). */
export function presetOf(range: TimeRange): ZoomPresetId | null {
  const span = spanOf(range);
  return ZOOM_PRESETS.find((p) => Math.abs(p.spanMs - span) < 1000)?.id ?? null;
}

/** A range from two times in either order, or null when it is too short to mean anything. */
export function rangeBetween(a: number, b: number, minMs = 1000): TimeRange | null {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  return to - from >= minMs ? { from: Math.round(from), to: Math.round(to) } : null;
}

/** How many density buckets to ask for: about one per 3 px column, within the API's limits. */
export function bucketsFor(width: number, max = 2000): number {
  return Math.max(20, Math.min(max, Math.round(width / 3)));
}
