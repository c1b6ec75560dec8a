import { describe, it, expect } from 'vitest';
import { isArmed, localTime } from '../../../src/main/engine/rules/schedule';
import type { ScheduleWindow } from '../../../src/shared/rules';

const utc = (iso: string) => Date.parse(`${iso}Z`);
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

describe('isArmed', () => {
  it('is always armed with no windows', () => {
    expect(isArmed([], utc('2025-01-01T12:00:00'), 'Europe/London')).toBe(true);
  });

  it('arms from `from` up to, not including, `to` on the listed days', () => {
    const office: ScheduleWindow[] = [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }];
    // 2025-01-06 is a Monday.
    expect(isArmed(office, utc('2025-01-06T08:59:59'), 'UTC')).toBe(false);
    expect(isArmed(office, utc('2025-01-06T09:00:00'), 'UTC')).toBe(true);
    expect(isArmed(office, utc('2025-01-06T17:29:59'), 'UTC')).toBe(true);
    expect(isArmed(office, utc('2025-01-06T17:30:00'), 'UTC')).toBe(false);
    expect(isArmed(office, utc('2025-01-05T12:00:00'), 'UTC')).toBe(false); // Sunday
  });

  it('runs a window that crosses midnight into the morning after its start day', () => {
    const fridayNight: ScheduleWindow[] = [{ days: [5], from: '22:00', to: '06:00' }];
    // 2025-01-10 is a Friday.
    expect(isArmed(fridayNight, utc('2025-01-10T21:59:00'), 'UTC')).toBe(false);
    expect(isArmed(fridayNight, utc('2025-01-10T22:00:00'), 'UTC')).toBe(true);
    expect(isArmed(fridayNight, utc('2025-01-11T00:00:00'), 'UTC')).toBe(true); // Saturday
    expect(isArmed(fridayNight, utc('2025-01-11T05:59:00'), 'UTC')).toBe(true);
    expect(isArmed(fridayNight, utc('2025-01-11T06:00:00'), 'UTC')).toBe(false);
    expect(isArmed(fridayNight, utc('2025-01-11T23:00:00'), 'UTC')).toBe(false); // Saturday night is not listed
    expect(isArmed(fridayNight, utc('2025-01-10T03:00:00'), 'UTC')).toBe(false); // Friday morning belongs to Thursday
  });

  it("reads days and times on the site's wall clock, not UTC", () => {
    const evening: ScheduleWindow[] = [{ days: [1], from: '20:00', to: '24:00' }];
    // Monday 2025-01-06 21:00 in New York is Tuesday 02:00 UTC.
    expect(isArmed(evening, utc('2025-01-07T02:00:00'), 'America/New_York')).toBe(true);
    expect(isArmed(evening, utc('2025-01-07T02:00:00'), 'UTC')).toBe(false);
    expect(localTime(utc('2025-01-07T02:00:00'), 'America/New_York')).toEqual({ weekday: 1, minutes: 21 * 60 });
  });

  it('keeps local times across the spring change in Europe/London (clocks forward at 01:00 UTC)', () => {
    const night: ScheduleWindow[] = [{ days: ALL_DAYS, from: '22:00', to: '06:00' }];
    // Sunday 2025-03-30: 06:00 BST is 05:00 UTC; a fixed GMT offset would still be armed then.
    expect(isArmed(night, utc('2025-03-30T04:59:00'), 'Europe/London')).toBe(true);
    expect(isArmed(night, utc('2025-03-30T05:00:00'), 'Europe/London')).toBe(false);
    // That evening 22:00 BST is 21:00 UTC.
    expect(isArmed(night, utc('2025-03-30T20:59:00'), 'Europe/London')).toBe(false);
    expect(isArmed(night, utc('2025-03-30T21:00:00'), 'Europe/London')).toBe(true);

    // 01:00-02:00 local never happens that night: a window inside the skipped hour starts at the jump.
    const skipped: ScheduleWindow[] = [{ days: [0], from: '01:30', to: '02:30' }];
    expect(isArmed(skipped, utc('2025-03-30T00:59:00'), 'Europe/London')).toBe(false); // 00:59 GMT
    expect(isArmed(skipped, utc('2025-03-30T01:00:00'), 'Europe/London')).toBe(true); // 02:00 BST
    expect(isArmed(skipped, utc('2025-03-30T01:30:00'), 'Europe/London')).toBe(false); // 02:30 BST
  });

  it('keeps local times across the autumn change in Europe/London (clocks back at 01:00 UTC)', () => {
    const night: ScheduleWindow[] = [{ days: ALL_DAYS, from: '22:00', to: '06:00' }];
    // Sunday 2025-10-26: 06:00 GMT is 06:00 UTC, an hour later than the day before.
    expect(isArmed(night, utc('2025-10-25T04:59:00'), 'Europe/London')).toBe(true);
    expect(isArmed(night, utc('2025-10-25T05:00:00'), 'Europe/London')).toBe(false);
    expect(isArmed(night, utc('2025-10-26T05:59:00'), 'Europe/London')).toBe(true);
    expect(isArmed(night, utc('2025-10-26T06:00:00'), 'Europe/London')).toBe(false);
    // 01:00-02:00 local happens twice; it is armed both times.
    const repeated: ScheduleWindow[] = [{ days: [0], from: '01:00', to: '02:00' }];
    expect(isArmed(repeated, utc('2025-10-26T00:30:00'), 'Europe/London')).toBe(true); // 01:30 BST
    expect(isArmed(repeated, utc('2025-10-26T01:30:00'), 'Europe/London')).toBe(true); // 01:30 GMT
    expect(isArmed(repeated, utc('2025-10-26T02:00:00'), 'Europe/London')).toBe(false);
  });

  it('answers from the cache only within the same UTC minute', () => {
    const w: ScheduleWindow[] = [{ days: ALL_DAYS, from: '12:00', to: '12:01' }];
    expect(isArmed(w, utc('2025-06-01T11:00:59.999'), 'Europe/London')).toBe(true);
    expect(isArmed(w, utc('2025-06-01T11:01:00'), 'Europe/London')).toBe(false);
  });
});
