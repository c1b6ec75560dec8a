// Quiet hours are read on the site's wall clock, like rule schedules (rules/schedule.ts): on
// the night the clocks change, 22:00-06:00 still means 22:00 to 06:00 local time.
import type { QuietHours } from '../../../shared/alerts';
import { clockMinutes, type Severity } from '../../../shared/rules';
import { localTime } from '../rules/schedule';

/** Whether `at` falls in the daily window (from inclusive, to exclusive; past midnight when to < from). */
export function inQuietHours(quiet: QuietHours, at: number, timeZone: string): boolean {
  const { minutes } = localTime(at, timeZone);
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

/** Whether quiet hours hold this alert back: inside the window, unless critical ones may pass. */
export function heldByQuietHours(quiet: QuietHours | null, severity: Severity, at: number, timeZone: string): boolean {
  if (!quiet || !inQuietHours(quiet, at, timeZone)) return false;
  return !(quiet.criticalOverride && severity === 'critical');
}
