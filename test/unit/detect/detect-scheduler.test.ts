import { describe, expect, it } from 'vitest';
import { DetectScheduler } from '../../../src/main/engine/detect/detect-scheduler';
import type { RawFrame } from '../../../src/main/engine/detect/pnm-frames';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const frame = (at: number): RawFrame => ({ width: 4, height: 2, channels: 3, data: new Uint8Array(24), at });

describe('DetectScheduler', () => {
  it('analyses an idle camera at its heartbeat and an active one at its fps', () => {
    const time = clock();
    const scheduler = new DetectScheduler(time.now);
    scheduler.configure('gate', { fps: 5, idleIntervalMs: 3000 });
    let taken = 0;
    // 10 s at 5 pictures a second, idle.
    for (let i = 0; i < 50; i++) {
      scheduler.offer('gate', frame(time.now()));
      taken += scheduler.take(4).length;
      time.advance(200);
    }
    expect(taken).toBe(4); // t = 0, 3, 6, 9 s
    scheduler.setActive('gate', true);
    taken = 0;
    for (let i = 0; i < 50; i++) {
      scheduler.offer('gate', frame(time.now()));
      taken += scheduler.take(4).length;
      time.advance(200);
    }
    expect(taken).toBeGreaterThanOrEqual(49);
    expect(scheduler.stats('gate')!.detectFps).toBeCloseTo(5, 0);
  });

  it('keeps only the latest picture and counts the ones the detector could not take', () => {
    const time = clock();
    const scheduler = new DetectScheduler(time.now);
    scheduler.configure('lobby', { fps: 5, idleIntervalMs: 3000 });
    scheduler.setActive('lobby', true);
    for (let i = 0; i < 10; i++) {
      scheduler.offer('lobby', frame(time.now()));
      time.advance(200);
    }
    const [picked] = scheduler.take(1);
    expect(picked!.frame.at).toBe(1800); // the newest
    expect(scheduler.stats('lobby')).toMatchObject({ offered: 10, dropped: 9 });
  });

  it('serves the camera that has waited longest first, within the batch size', () => {
    const time = clock(10_000);
    const scheduler = new DetectScheduler(time.now);
    for (const id of ['a', 'b', 'c']) {
      scheduler.configure(id, { fps: 5, idleIntervalMs: 3000 });
      scheduler.setActive(id, true);
    }
    scheduler.offer('a', frame(time.now()));
    scheduler.offer('b', frame(time.now()));
    expect(scheduler.take(1).map((t) => t.id)).toEqual(['a']);
    time.advance(100);
    scheduler.offer('a', frame(time.now()));
    scheduler.offer('c', frame(time.now()));
    // b and c were never served; a was served 100 ms ago and is not due yet (200 ms at 5 fps).
    expect(scheduler.take(4).map((t) => t.id).sort()).toEqual(['b', 'c']);
    expect(scheduler.nextDueIn()).toBe(100);
  });

  it('forgets removed cameras', () => {
    const scheduler = new DetectScheduler(() => 0);
    scheduler.configure('x', { fps: 5, idleIntervalMs: 3000 });
    scheduler.offer('x', frame(0));
    scheduler.remove('x');
    expect(scheduler.take(4)).toEqual([]);
    expect(scheduler.stats('x')).toBeNull();
  });
});
