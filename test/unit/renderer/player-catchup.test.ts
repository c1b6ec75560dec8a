import { describe, expect, it } from 'vitest';
import {
  CATCH_UP,
  decideCatchUp,
  isAdvancing,
  isTimestampJump,
  latency,
  planEmergencyTrim,
  planTrim,
  trackAdvance,
  type Range,
} from '../../../src/renderer/features/grid/catchup';

const r = (start: number, end: number): Range => ({ start, end });

describe('decideCatchUp', () => {
  it('does nothing before any video is buffered', () => {
    expect(decideCatchUp([], 0, 1)).toEqual({ kind: 'none' });
  });

  it('starts at the first buffered range when the playhead is before it', () => {
    expect(decideCatchUp([r(12.0, 12.1)], 0, 1)).toEqual({ kind: 'seek', to: 12.0 });
  });

  it('seeks to edge - 0.2 s when more than 1 s behind', () => {
    expect(decideCatchUp([r(0, 10)], 8.5, 1)).toEqual({ kind: 'seek', to: 9.8 });
    expect(decideCatchUp([r(0, 10)], 8.99, 1.1)).toEqual({ kind: 'seek', to: 10 - CATCH_UP.seekBehindEdgeSeconds });
  });

  it('speeds up to 1.1 between 0.3 and 1.0 s behind', () => {
    expect(decideCatchUp([r(0, 10)], 9.5, 1)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(decideCatchUp([r(0, 10)], 9.0, 1)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(decideCatchUp([r(0, 10)], 9.5, 1.1)).toEqual({ kind: 'none' });
  });

  it('returns to 1.0 when close to the edge, and only reports changes', () => {
    expect(decideCatchUp([r(0, 10)], 9.8, 1.1)).toEqual({ kind: 'rate', rate: 1 });
    expect(decideCatchUp([r(0, 10)], 9.8, 1)).toEqual({ kind: 'none' });
    expect(decideCatchUp([r(0, 10)], 9.75, 1)).toEqual({ kind: 'none' });
  });

  it('jumps a gap to the newest range (fragments skipped by the engine)', () => {
    expect(decideCatchUp([r(0, 5), r(7, 7.5)], 4.9, 1)).toEqual({ kind: 'seek', to: 7.3 });
    expect(decideCatchUp([r(0, 5), r(7, 7.1)], 4.9, 1)).toEqual({ kind: 'seek', to: 7 });
  });

  it('seeks back into the data when the playhead is far past the buffered end', () => {
    expect(decideCatchUp([r(0, 3)], 10, 1)).toEqual({ kind: 'seek', to: 2.8 });
  });

  it('waits when just past the end (next frame not here yet)', () => {
    expect(decideCatchUp([r(0, 3)], 3.1, 1)).toEqual({ kind: 'none' });
  });
});

describe('latency', () => {
  it('is the distance to the newest buffered frame', () => {
    expect(latency([], 3)).toBeNull();
    expect(latency([r(0, 2), r(3, 5)], 4.5)).toBeCloseTo(0.5);
    expect(latency([r(0, 2)], 2.5)).toBe(0);
  });
});

describe('planTrim', () => {
  it('keeps the last 10 s behind the playhead', () => {
    expect(planTrim([r(0, 30)], 29.8)).toEqual({ start: 0, end: expect.closeTo(19.8, 5) });
    expect(planTrim([r(5, 30)], 29)).toEqual({ start: 5, end: 19 });
  });

  it('does not trim small amounts or young buffers', () => {
    expect(planTrim([r(0, 11)], 10.9)).toBeNull();
    expect(planTrim([r(0, 12.5)], 11.9)).toBeNull();
    expect(planTrim([r(0, 12.5)], 12.4)).toEqual({ start: 0, end: expect.closeTo(2.4, 5) });
    expect(planTrim([r(18, 30)], 29.5)).toBeNull();
    expect(planTrim([], 100)).toBeNull();
  });

  it('trims old ranges too (after a seek over a gap)', () => {
    expect(planTrim([r(0, 5), r(20, 40)], 39)).toEqual({ start: 0, end: 29 });
  });

  it('frees all but the last second on QuotaExceededError', () => {
    expect(planEmergencyTrim([r(0, 8)], 7.5)).toEqual({ start: 0, end: 6.5 });
    expect(planEmergencyTrim([r(7, 8)], 7.5)).toBeNull();
  });
});

describe('timestamp jumps', () => {
  it('flags decode times that go backwards', () => {
    expect(isTimestampJump(null, 5)).toBe(false);
    expect(isTimestampJump(5, null)).toBe(false);
    expect(isTimestampJump(5, 5.033)).toBe(false);
    expect(isTimestampJump(5, 60)).toBe(false);
    expect(isTimestampJump(500, 0)).toBe(true);
    expect(isTimestampJump(5, 4.9)).toBe(true);
  });
});

describe('live detection', () => {
  it('is live only while the playhead advances', () => {
    let t = { lastTime: 0, lastAdvanceAt: null as number | null };
    expect(isAdvancing(t, 0)).toBe(false);
    t = trackAdvance(t, 0, 100, false);
    expect(isAdvancing(t, 100)).toBe(false);
    t = trackAdvance(t, 0.1, 200, false);
    expect(t.lastAdvanceAt).toBe(200);
    expect(isAdvancing(t, 1000)).toBe(true);
    t = trackAdvance(t, 0.1, 1500, false);
    expect(isAdvancing(t, 1500)).toBe(true);
    t = trackAdvance(t, 0.1, 1800, false);
    expect(isAdvancing(t, 1800)).toBe(false);
  });

  it('does not count a paused element', () => {
    const t = trackAdvance({ lastTime: 0, lastAdvanceAt: null }, 5, 100, true);
    expect(t).toEqual({ lastTime: 5, lastAdvanceAt: null });
  });
});
