// Tick marks and clock labels of the timeline, in the operator's local time. Pure apart from
// the Date/Intl calls (the local time zone is the point).
import { DAY, HOUR, MINUTE, type TimeRange } from './time-scale';

/** Tick steps, finest first; each divides the day evenly so ticks fall on round clock times. */
const STEPS = [10_000, 30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/** The finest step that gives at most `maxTicks` ticks over the range. */
export function tickStep(spanMs: number, maxTicks: number): number {
  const wanted = spanMs / Math.max(1, maxTicks);
  return STEPS.find((step) => step >= wanted) ?? DAY;
}

/** Local midnight before `t`: ticks are counted from it so they land on local round times. */
function localMidnight(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * Tick times inside the range at a round local-clock step. Days are counted from local
 * midnight, so an hour step lands on :00 even in a time zone half an hour off UTC.
 */
export function timeTicks(range: TimeRange, maxTicks: number): number[] {
  const step = tickStep(range.to - range.from, maxTicks);
  const ticks: number[] = [];
  let day = localMidnight(range.from);
  while (day <= range.to && ticks.length <= maxTicks * 2) {
    const nextDay = localMidnight(day + DAY + 2 * HOUR); // +2 h: days of 23 or 25 hours (DST)
    for (let t = day; t < nextDay && t <= range.to; t += step) if (t >= range.from) ticks.push(t);
    day = nextDay;
  }
  return ticks;
}

/** A tick label: seconds when the step is under a minute, the date at day steps or midnights. */
export function formatTick(t: number, step: number): string {
  const d = new Date(t);
  if (step >= DAY || (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && step >= HOUR)) {
    return d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  }
  return d.toLocaleTimeString([], step < MINUTE ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
}

/** The playhead's time for the transport: date and time to the second. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${d.toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' })} ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}

/** A range for labels ("12:00:05 – 12:01:10", the date once when both are on the same day). */
export function formatRange(range: TimeRange): string {
  const a = new Date(range.from);
  const b = new Date(range.to);
  const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const date = (d: Date) => d.toLocaleDateString([], { day: 'numeric', month: 'short' });
  return a.toDateString() === b.toDateString() ? `${date(a)} ${time(a)} – ${time(b)}` : `${date(a)} ${time(a)} – ${date(b)} ${time(b)}`;
}

/** "1 min 30 s", "2 h 5 min", "3 d 4 h": a duration for labels. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
