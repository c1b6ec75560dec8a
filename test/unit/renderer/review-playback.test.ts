import { describe, expect, it } from 'vitest';
import type { RecordingSegmentView, ReviewTrack } from '../../../src/shared/review';
import { earliestStartAfter } from '../../../src/renderer/features/review/next-footage';
import { ReviewClock } from '../../../src/renderer/features/review/review-clock';
import { clipSpans, coveredMs, nextCoveredStart, offsetIn, segmentAfter, segmentAt, segmentSpans } from '../../../src/renderer/features/review/segments';
import { decideClock, decideSync, SYNC, type SyncInput } from '../../../src/renderer/features/review/sync';
import { boxAt, planTracks, trackNumber } from '../../../src/renderer/features/review/track-boxes';
import { CLASS_COLOURS } from '../../../src/renderer/features/overlay/style';

const T0 = 1_750_000_000_000;

function seg(id: number, startS: number, endS: number): RecordingSegmentView {
  return { id, cameraId: 'cam', startMs: T0 + startS * 1000, endMs: T0 + endS * 1000, bytes: 1000 };
}

// Three touching segments, a 30 s gap, then one more.
const SEGMENTS = [seg(1, 0, 10), seg(2, 10.02, 20), seg(3, 20, 30), seg(4, 60, 70)];

describe('segment for a wall time', () => {
  it('finds the segment holding the moment and the offset into it', () => {
    expect(segmentAt(SEGMENTS, T0)?.id).toBe(1);
    expect(segmentAt(SEGMENTS, T0 + 9_999)?.id).toBe(1);
    expect(segmentAt(SEGMENTS, T0 + 15_000)?.id).toBe(2);
    expect(offsetIn(SEGMENTS[1]!, T0 + 15_000)).toBeCloseTo(4.98, 6);
    expect(segmentAt(SEGMENTS, T0 + 65_000)?.id).toBe(4);
  });

  it('has nothing in gaps, before the first or after the last', () => {
    expect(segmentAt(SEGMENTS, T0 + 10_010)).toBeNull(); // 20 ms between 1 and 2
    expect(segmentAt(SEGMENTS, T0 + 45_000)).toBeNull();
    expect(segmentAt(SEGMENTS, T0 - 1)).toBeNull();
    expect(segmentAt(SEGMENTS, T0 + 70_000)).toBeNull();
    expect(segmentAt([], T0)).toBeNull();
  });

  it('prefers the later of two overlapping segments and skips failed ones', () => {
    const overlapping = [seg(1, 0, 10), seg(2, 8, 18)];
    expect(segmentAt(overlapping, T0 + 9_000)?.id).toBe(2);
    expect(segmentAt(overlapping, T0 + 9_000, new Set([2]))?.id).toBe(1);
  });

  it('knows the segment that comes next, to preload it', () => {
    expect(segmentAfter(SEGMENTS, T0 + 5_000)?.id).toBe(2);
    expect(segmentAfter(SEGMENTS, T0 + 25_000)?.id).toBe(4);
    expect(segmentAfter(SEGMENTS, T0 + 65_000)).toBeNull();
    expect(segmentAfter(SEGMENTS, T0 + 5_000, new Set([2]))?.id).toBe(3);
  });

  it('finds where footage resumes after a gap, from segments or the timeline', () => {
    const spans = segmentSpans(SEGMENTS);
    expect(nextCoveredStart(T0 + 45_000, spans)).toBe(T0 + 60_000);
    expect(nextCoveredStart(T0 + 5_000, spans)).toBe(T0 + 5_000);
    expect(nextCoveredStart(T0 + 75_000, spans)).toBeNull();
    expect(nextCoveredStart(T0 + 75_000, spans, [{ from: T0 + 3_600_000, to: T0 + 3_700_000 }])).toBe(T0 + 3_600_000);
    expect(nextCoveredStart(T0 + 45_000, segmentSpans(SEGMENTS, new Set([4])))).toBeNull();
  });

  it('clips spans to a range and sums them', () => {
    const range = { from: T0 + 5_000, to: T0 + 65_000 };
    expect(clipSpans([{ from: T0, to: T0 + 30_000 }, { from: T0 + 60_000, to: T0 + 70_000 }, { from: T0 + 80_000, to: T0 + 90_000 }], range)).toEqual([
      { from: T0 + 5_000, to: T0 + 30_000 },
      { from: T0 + 60_000, to: T0 + 65_000 },
    ]);
    expect(coveredMs([{ from: T0, to: T0 + 30_000 }], range)).toBe(25_000);
  });
});

describe('stored boxes at a moment', () => {
  const samples: ReviewTrack['samples'] = [
    { t: 1000, box: [0, 0, 10, 10], score: 0.5 },
    { t: 1200, box: [10, 20, 30, 40], score: 0.7 },
    { t: 5000, box: [100, 100, 110, 110], score: 0.9 },
  ];

  it('interpolates between close samples', () => {
    expect(boxAt(samples, 1000)).toEqual({ box: [0, 0, 10, 10], score: 0.5 });
    const mid = boxAt(samples, 1100)!;
    expect(mid.box).toEqual([5, 10, 20, 25]);
    expect(mid.score).toBeCloseTo(0.6);
  });

  it('holds the nearest sample just outside the path, and nothing far from any sample', () => {
    expect(boxAt(samples, 500)?.box).toEqual([0, 0, 10, 10]);
    expect(boxAt(samples, 5900)?.box).toEqual([100, 100, 110, 110]);
    expect(boxAt(samples, -1)).toBeNull();
    expect(boxAt(samples, 6500)).toBeNull();
    expect(boxAt([], 1000)).toBeNull();
  });

  it('does not slide a box across a long hole in the path', () => {
    expect(boxAt(samples, 1900)?.box).toEqual([10, 20, 30, 40]); // 0.7 s after the 1200 sample
    expect(boxAt(samples, 3000)).toBeNull(); // 1.8 s from both sides
    expect(boxAt(samples, 4500)?.box).toEqual([100, 100, 110, 110]);
  });

  it('plans boxes on the letterboxed picture with the live overlay style', () => {
    const track: ReviewTrack = { key: 'run-7:42', label: 'person', firstSeen: 1000, lastSeen: 1200, bestScore: 0.9, frameWidth: 640, frameHeight: 360, samples: [{ t: 1000, box: [320, 180, 640, 360], score: 0.87 }] };
    // A 400x400 element showing a 1280x720 picture: bars of 87.5 px top and bottom.
    const plan = planTracks([track], 1000, 400, 400, 1280, 720);
    expect(plan.content).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]).toMatchObject({ rect: { x: 200, y: 200, width: 200, height: 112.5 }, colour: CLASS_COLOURS.person, caption: 'person 87% #42', dashed: false, trackId: 42 });
    expect(planTracks([track], 9000, 400, 400, 1280, 720).items).toEqual([]);
    // Before the video knows its size, the frame's aspect stands in.
    expect(planTracks([track], 1000, 400, 400, 0, 0).content).toEqual({ x: 0, y: 87.5, width: 400, height: 225 });
    expect(trackNumber('abc')).toBe(0);
  });
});

describe('keeping players on the clock', () => {
  const base: SyncInput = { target: 5, current: 5, duration: 10, playing: true, rate: 1, seeking: false, ended: false, msSinceSeek: 5000 };

  it('leaves a player alone within a frame or two', () => {
    expect(decideSync({ ...base, current: 5.03 })).toEqual({ kind: 'none', rate: 1 });
  });

  it('nudges the rate for small drift and re-seeks past 0.3 s', () => {
    expect(decideSync({ ...base, current: 5.2 })).toEqual({ kind: 'none', rate: 1 * (1 - SYNC.nudge) });
    expect(decideSync({ ...base, current: 4.8, rate: 2 })).toEqual({ kind: 'none', rate: 2 * (1 + SYNC.nudge) });
    expect(decideSync({ ...base, current: 5.31 })).toEqual({ kind: 'seek', to: 5, rate: 1 });
    expect(decideSync({ ...base, current: 2 })).toEqual({ kind: 'seek', to: 5, rate: 1 });
  });

  it('lets a seek settle, and never seeks while seeking', () => {
    expect(decideSync({ ...base, current: 2, msSinceSeek: 100 }).kind).toBe('none');
    expect(decideSync({ ...base, current: 2, seeking: true }).kind).toBe('none');
  });

  it('shows the exact frame while paused', () => {
    expect(decideSync({ ...base, playing: false, current: 5.1, msSinceSeek: 0 })).toEqual({ kind: 'seek', to: 5, rate: 1 });
    expect(decideSync({ ...base, playing: false, current: 5.02 }).kind).toBe('none');
  });

  it('keeps the last frame up past the media end instead of seeking in a loop', () => {
    expect(decideSync({ ...base, target: 10.2, current: 9.96, duration: 9.96, ended: true })).toEqual({ kind: 'none', rate: 1 });
    // Unknown duration (fragmented MP4): the target is used as is.
    expect(decideSync({ ...base, duration: Infinity, current: 9 }).kind).toBe('seek');
  });

  it('holds the clock for loading players, unless one is stuck', () => {
    expect(decideClock([{ state: 'playing' }, { state: 'waiting', since: 1000 }], T0, true, 2000)).toEqual({ kind: 'run', buffering: true });
    expect(decideClock([{ state: 'playing' }, { state: 'waiting', since: 1000 }], T0, true, 1000 + SYNC.stallMs + 1)).toEqual({ kind: 'run', buffering: false });
    expect(decideClock([{ state: 'playing' }, { state: 'gap', nextStart: null }], T0, true, 0)).toEqual({ kind: 'run', buffering: false });
  });

  it('skips a gap no camera has footage in, to the earliest footage after it', () => {
    const frames = [
      { state: 'gap' as const, nextStart: T0 + 90_000 },
      { state: 'gap' as const, nextStart: T0 + 60_000 },
      { state: 'gap' as const, nextStart: null },
    ];
    expect(decideClock(frames, T0, true, 0)).toEqual({ kind: 'skip', to: T0 + 60_000 });
    expect(decideClock(frames, T0, false, 0)).toEqual({ kind: 'run', buffering: false });
    expect(decideClock([{ state: 'gap', nextStart: null }], T0, true, 0)).toEqual({ kind: 'end' });
  });

  it('runs on through a hair-thin gap the timeline counts as footage, rather than stopping', () => {
    expect(decideClock([{ state: 'gap', nextStart: T0 }, { state: 'gap', nextStart: null }], T0, true, 0)).toEqual({ kind: 'run', buffering: false });
  });
});

describe('the review clock', () => {
  function clockAt(start: number) {
    let now = 0;
    const clock = new ReviewClock(start, () => now);
    return { clock, advance: (ms: number) => (now += ms) };
  }

  it('stands still until played, then runs at the chosen speed', () => {
    const { clock, advance } = clockAt(T0);
    advance(1000);
    expect(clock.time()).toBe(T0);
    clock.play();
    advance(1000);
    expect(clock.time()).toBe(T0 + 1000);
    clock.setRate(4);
    advance(500);
    expect(clock.time()).toBe(T0 + 3000);
    clock.pause();
    advance(1000);
    expect(clock.time()).toBe(T0 + 3000);
  });

  it('holds while buffering without forgetting it is playing', () => {
    const { clock, advance } = clockAt(T0);
    clock.play();
    advance(1000);
    clock.setBuffering(true);
    advance(5000);
    expect(clock.time()).toBe(T0 + 1000);
    expect(clock.snapshot.playing).toBe(true);
    clock.setBuffering(false);
    advance(1000);
    expect(clock.time()).toBe(T0 + 2000);
  });

  it('seeks and steps, counting jumps and telling subscribers', () => {
    const { clock, advance } = clockAt(T0);
    let calls = 0;
    const off = clock.subscribe(() => calls++);
    clock.play();
    advance(2000);
    clock.step(-10_000);
    expect(clock.time()).toBe(T0 - 8000);
    clock.seek(T0 + 60_000);
    expect(clock.time()).toBe(T0 + 60_000);
    expect(clock.jumpCount).toBe(2);
    expect(calls).toBe(3);
    off();
    clock.toggle();
    expect(calls).toBe(3);
    expect(clock.snapshot.playing).toBe(false);
  });
});

describe('footage after a long gap', () => {
  it('takes the earliest segment start after the moment across cameras', () => {
    expect(earliestStartAfter([[seg(9, 100, 110)], [seg(7, 40, 50), seg(8, 60, 70)], []], T0 + 30_000)).toBe(T0 + 40_000);
    // A segment already running at the moment is not "after" it.
    expect(earliestStartAfter([[seg(1, 0, 10)]], T0 + 5_000)).toBeNull();
    expect(earliestStartAfter([], T0)).toBeNull();
  });
});
