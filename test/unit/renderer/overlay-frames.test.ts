import { describe, expect, it } from 'vitest';
import type { DetectionsEvent, TrackedObject } from '../../../src/shared/detection';
import { appendFrame, BUFFER, DetectionStore, frameFromEvent, pickFrame, type DetectionFrame } from '../../../src/renderer/features/overlay/detection-buffer';

function obj(trackId: number, over: Partial<TrackedObject> = {}): TrackedObject {
  return { label: 'person', classId: 0, score: 0.9, box: [10, 10, 50, 90], trackId, state: 'active', ...over };
}

function frame(main: number | null, sub: number | null, receivedAt = 0, objects: TrackedObject[] = [obj(1)]): DetectionFrame {
  return { mediaTime: { main, sub }, frameWidth: 640, frameHeight: 360, objects, receivedAt };
}

function event(camera: string, main: number | null, sub: number | null): DetectionsEvent {
  return { type: 'detections', camera, frameAt: 0, mediaTime: { main, sub }, frameWidth: 640, frameHeight: 360, objects: [obj(1)] };
}

describe('picking the detection frame for the video time', () => {
  const frames = [frame(10.0, 4.0), frame(10.2, 4.2), frame(10.4, 4.4)];

  it('takes the latest frame at or before the video time, per stream role', () => {
    expect(pickFrame(frames, 'main', 10.3)).toBe(frames[1]);
    expect(pickFrame(frames, 'main', 10.4)).toBe(frames[2]);
    expect(pickFrame(frames, 'sub', 4.25)).toBe(frames[1]);
    expect(pickFrame(frames, 'sub', 100)).toBeNull();
  });

  it('allows a small tolerance ahead of the video time', () => {
    expect(pickFrame(frames, 'main', 10.36)).toBe(frames[2]); // 10.4 <= 10.36 + 0.05
    expect(pickFrame(frames, 'main', 10.34)).toBe(frames[1]);
    expect(pickFrame(frames, 'main', 10.36, { toleranceSeconds: 0 })).toBe(frames[1]);
  });

  it('shows nothing before the first frame or when the newest is too old', () => {
    expect(pickFrame(frames, 'main', 9.5)).toBeNull();
    expect(pickFrame(frames, 'main', 10.4 + BUFFER.maxAgeSeconds - 0.01)).toBe(frames[2]);
    expect(pickFrame(frames, 'main', 10.4 + BUFFER.maxAgeSeconds + 0.01)).toBeNull();
  });

  it('skips frames without a time on that stream, and works in any order', () => {
    const mixed = [frame(5, null), frame(null, 2), frame(5.2, 2.2)].reverse();
    expect(pickFrame(mixed, 'main', 5.1)?.mediaTime.main).toBe(5);
    expect(pickFrame(mixed, 'sub', 2.1)?.mediaTime.sub).toBe(2);
    expect(pickFrame([], 'sub', 1)).toBeNull();
  });
});

describe('the per-camera buffer', () => {
  it('forgets frames older than the window and caps the count', () => {
    let frames: DetectionFrame[] = [];
    for (let i = 0; i < 40; i++) frames = appendFrame(frames, frame(i * 0.1, null, i * 100));
    // received over 3.9 s: only the last 3 s (31 frames) are kept
    expect(frames).toHaveLength(31);
    expect(frames[0]?.receivedAt).toBe(900);
    let many: DetectionFrame[] = [];
    for (let i = 0; i < 200; i++) many = appendFrame(many, frame(i * 0.01, null, 0));
    expect(many).toHaveLength(BUFFER.maxFrames);
    expect(many[many.length - 1]?.mediaTime.main).toBeCloseTo(1.99);
  });

  it('starts over when the media time jumps back (the source restarted)', () => {
    let frames = [frame(100, 50, 0), frame(100.2, 50.2, 10)];
    frames = appendFrame(frames, frame(0.1, 0.1, 20));
    expect(frames.map((f) => f.mediaTime.main)).toEqual([0.1]);
    // small reorderings are not a restart
    frames = appendFrame([frame(10, null, 0)], frame(9.9, null, 1));
    expect(frames).toHaveLength(2);
  });

  it('keeps cameras apart and clears one', () => {
    const store = new DetectionStore();
    store.push(event('a', 1, 1), 0);
    store.push(event('a', 1.2, 1.2), 100);
    store.push(event('b', 3, null), 100);
    expect(store.frames('a')).toHaveLength(2);
    expect(store.frames('b')[0]).toEqual(frameFromEvent(event('b', 3, null), 100));
    store.clear('a');
    expect(store.frames('a')).toEqual([]);
    expect(store.frames('nope')).toEqual([]);
  });
});
