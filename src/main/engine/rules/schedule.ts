// Armed schedules are read on the wall clock of the site, because that is what the operator
// means by "22:00 to 06:00": on the night the clocks change, the window still opens at 22:00
// local time and closes at 06:00 local time, whatever that is in UTC. Intl does the time-zone
// work (the runtime's ICU data), so there is no offset arithmetic here to get wrong.
import { clockMinutes, type ScheduleWindow } from '../../../shared/rules';

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export interface LocalTime {
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0-1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * The last answer per zone. Every zone today changes its offset on a whole minute, so within one
 * UTC minute the local weekday and minute cannot change, and rules evaluated at 5 fps on every
 * camera ask about the same minute many times.
 */
const lastAnswer = new Map<string, { minute: number; local: LocalTime }>();

/** Local weekday and minute of the day at `timeMs` in `timeZone`; throws RangeError for an unknown zone. */
export function localTime(timeMs: number, timeZone: string): LocalTime {
  const minute = Math.floor(timeMs / 60_000);
  const cached = lastAnswer.get(timeZone);
  if (cached && cached.minute === minute) return cached.local;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  let weekday = -1;
  let hour = 0;
  let min = 0;
  for (const part of format.formatToParts(timeMs)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? -1;
    else if (part.type === 'hour') hour = Number(part.value) % 24; // some ICU versions say 24 at midnight
    else if (part.type === 'minute') min = Number(part.value);
  }
  if (weekday < 0) throw new RangeError(`cannot read the weekday in ${timeZone}`);
  const local = { weekday, minutes: hour * 60 + min };
  lastAnswer.set(timeZone, { minute, local });
  return local;
}

/**
 * Whether a rule with this schedule is armed at `timeMs`. An empty schedule is always armed.
 * A window armed from `from` (inclusive) to `to` (exclusive) starts on each of its days; one
 * whose `to` is earlier than its `from` runs on past midnight into the next day.
 */
export function isArmed(schedule: readonly ScheduleWindow[], timeMs: number, timeZone: string): boolean {
  if (schedule.length === 0) return true;
  const { weekday, minutes } = localTime(timeMs, timeZone);
  const yesterday = (weekday + 6) % 7;
  return schedule.some((window) => {
    const from = clockMinutes(window.from);
    const to = clockMinutes(window.to);
    if (from < to) return window.days.includes(weekday) && minutes >= from && minutes < to;
    // Crosses midnight: the evening part today, or the morning part of a window that started yesterday.
    return (window.days.includes(weekday) && minutes >= from) || (window.days.includes(yesterday) && minutes < to);
  });
}
