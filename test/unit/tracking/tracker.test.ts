import { describe, it, expect } from 'vitest';
import type { Box, Detection, TrackedObject } from '../../../src/shared/detection';
import { DEFAULT_TRACKER_OPTIONS, Tracker, type EndedTrack, type TrackUpdate } from '../../../src/main/engine/tracking/tracker';
import { iou } from '../../../src/main/engine/tracking/box-overlap';

// Synthetic scenes: boxes in pixels of a 1280x720 picture, objects moving at walking or
// creeping speeds, detector jitter of a couple of pixels, analysed at 5 fps unless said.

const FRAME_MS = 200;

/** Deterministic PRNG (mulberry32) so every run sees the same jitter. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASS_IDS: Record<string, number> = { person: 0, bicycle: 1, car: 2, truck: 7 };

/** Box of size w × h whose bottom edge (the feet, the tyres) is at `bottom`. */
function standing(cx: number, bottom: number, w: number, h: number): Box {
  return [cx - w / 2, bottom - h, cx + w / 2, bottom];
}

function jitter(box: Box, random: () => number, px = 2): Box {
  return box.map((v) => v + (random() * 2 - 1) * px) as Box;
}

function det(box: Box, score = 0.9, label = 'person'): Detection {
  return { label, classId: CLASS_IDS[label] ?? 99, score, box };
}

function times(fromMs: number, toMs: number, stepMs = FRAME_MS): number[] {
  const out: number[] = [];
  for (let at = fromMs; at <= toMs; at += stepMs) out.push(at);
  return out;
}

/** The track that took this exact detection box in the update (matched tracks carry it). */
function idOf(update: TrackUpdate, box: Box): number | undefined {
  return update.objects.find((o) => o.state !== 'lost' && o.box.every((v, i) => v === box[i]))?.trackId;
}

function byId(update: TrackUpdate, trackId: number): TrackedObject | undefined {
  return update.objects.find((o) => o.trackId === trackId);
}

function centreX(box: Box): number {
  return (box[0] + box[2]) / 2;
}

describe('Tracker lifecycle', () => {
  it('a new track is tentative on a fast camera and confirmed (and reported) on its second hit', () => {
    const tracker = new Tracker();
    tracker.update([], 0);
    const first = tracker.update([det(standing(300, 500, 50, 120))], 200);
    expect(first.objects).toMatchObject([{ trackId: 1, state: 'new' }]);
    expect(first.reportable).toEqual([]);
    const second = tracker.update([det(standing(305, 500, 50, 120))], 400);
    expect(second.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
    expect(second.reportable).toMatchObject([{ trackId: 1, state: 'active' }]);
  });

  it('a one-frame ghost on a fast camera is dropped without a summary', () => {
    const tracker = new Tracker();
    tracker.update([], 0);
    tracker.update([det(standing(300, 500, 50, 120))], 200);
    const after = tracker.update([], 400);
    expect(after.objects).toEqual([]);
    expect(after.ended).toEqual([]);
    expect(tracker.liveTrackCount).toBe(0);
  });

  it('confirms at once on the first frame and when the camera is sampled slowly', () => {
    const tracker = new Tracker();
    const first = tracker.update([det(standing(300, 500, 50, 120))], 0);
    expect(first.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
    expect(first.reportable).toHaveLength(1);

    // An idle camera analysed every 3 s: an intruder is reported on the picture they appear in.
    const idle = new Tracker();
    idle.update([], 0);
    idle.update([], 3000);
    const seen = idle.update([det(standing(900, 600, 60, 150))], 6000);
    expect(seen.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
    expect(seen.reportable).toMatchObject([{ trackId: 1 }]);
  });

  it('ignores unusable detections and times that step back', () => {
    const tracker = new Tracker();
    const update = tracker.update(
      [det([10, 10, 10, 50]), det([Number.NaN, 0, 20, 20]), det([0, 0, 20, 20], Number.NaN), det([100, 100, 150, 200], 0.05)],
      0,
    );
    expect(update.objects).toEqual([]);
    tracker.update([det(standing(300, 500, 50, 120))], 1000);
    // A frame stamped before the previous one is taken as simultaneous: the track is matched.
    const back = tracker.update([det(standing(301, 500, 50, 120))], 900);
    expect(back.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
    expect(() => tracker.update([], Number.NaN)).toThrow(RangeError);
  });

  it('rejects options that cannot work and takes defaults for undefined ones', () => {
    expect(() => new Tracker({ lowScore: 0.6, highScore: 0.5 })).toThrow(RangeError);
    expect(() => new Tracker({ minHits: 0 })).toThrow(RangeError);
    expect(() => new Tracker({ maxSamples: 1 })).toThrow(RangeError);
    expect(() => new Tracker({ iouThreshold: 0 })).toThrow(RangeError);
    expect(() => new Tracker({ maxLostMs: -1 })).toThrow(RangeError);
    expect(() => new Tracker({ maxLostMs: undefined })).not.toThrow();
    expect(DEFAULT_TRACKER_OPTIONS).toEqual({
      iouThreshold: 0.3,
      highScore: 0.5,
      lowScore: 0.1,
      minHits: 2,
      slowFrameMs: 1000,
      maxLostMs: 3000,
      reportMoveFraction: 0.5,
      reportKeepAliveMs: 10_000,
      sampleEveryMs: 500,
      maxSamples: 600,
    });
  });
});

describe('Tracker association', () => {
  it('two people crossing paths keep their ids while their boxes overlap', () => {
    const random = seeded(1);
    const tracker = new Tracker();
    let idA: number | undefined;
    let idB: number | undefined;
    let touching = 0;
    let overlapping = 0;
    for (const at of times(0, 10_000)) {
      const s = at / 1000;
      // A strolls right in the foreground; B strolls left further back (smaller, higher up)
      // and is mostly hidden behind A around the crossing, where the detector is unsure of them.
      const a = jitter(standing(200 + 40 * s, 460, 60, 160), random);
      const b = jitter(standing(600 - 40 * s, 410, 50, 130), random);
      const hidden = Math.abs(centreX(a) - centreX(b)) < 30;
      const update = tracker.update([det(b, hidden ? 0.4 : 0.85), det(a, 0.9)], at);
      if (iou(a, b) > 0) touching++;
      if (iou(a, b) > 0.3) overlapping++;
      idA ??= idOf(update, a);
      idB ??= idOf(update, b);
      expect(idOf(update, a)).toBe(idA);
      expect(idOf(update, b)).toBe(idB);
    }
    expect(touching).toBeGreaterThanOrEqual(6);
    expect(overlapping).toBeGreaterThanOrEqual(3);
    expect(new Set([idA, idB])).toEqual(new Set([1, 2]));
  });

  it('the person behind keeps their id when they vanish behind the other for a few frames', () => {
    const random = seeded(2);
    const tracker = new Tracker();
    let idA: number | undefined;
    let idB: number | undefined;
    let vanished = 0;
    for (const at of times(0, 8000)) {
      const s = at / 1000;
      const a = jitter(standing(200 + 50 * s, 460, 60, 160), random);
      const b = jitter(standing(600 - 50 * s, 410, 50, 130), random);
      const hidden = Math.abs(centreX(a) - centreX(b)) < 35;
      if (hidden) vanished++;
      const update = tracker.update(hidden ? [det(a)] : [det(a), det(b)], at);
      idA ??= idOf(update, a);
      idB ??= idOf(update, b);
      expect(idOf(update, a)).toBe(idA);
      if (hidden) expect(byId(update, idB!)?.state).toBe('lost');
      else expect(idOf(update, b)).toBe(idB);
    }
    expect(vanished).toBeGreaterThanOrEqual(3);
    expect(tracker.liveTrackCount).toBe(2);
  });

  it('keeps the id of an object hidden for 1.5 s that reappears further along its path', () => {
    const random = seeded(3);
    const tracker = new Tracker();
    const truth = (at: number) => standing(100 + 60 * (at / 1000), 500, 50, 120);
    let id: number | undefined;
    let lastSeenBox: Box | undefined;
    for (const at of times(0, 5000)) {
      const behindPillar = at > 2000 && at < 3600;
      const box = jitter(truth(at), random);
      const update = tracker.update(behindPillar ? [] : [det(box)], at);
      if (behindPillar) {
        // Coasting: reported as lost, its box predicted along the path.
        const lost = byId(update, id!);
        expect(lost?.state).toBe('lost');
        expect(Math.abs(centreX(lost!.box) - centreX(truth(at)))).toBeLessThan(10);
        continue;
      }
      if (at === 3600) {
        // Where it comes out does not overlap where it went in: only the prediction links them.
        expect(iou(box, lastSeenBox!)).toBe(0);
      }
      id ??= idOf(update, box);
      expect(idOf(update, box)).toBe(id);
      expect(update.ended).toEqual([]);
      lastSeenBox = box;
    }
    expect(id).toBe(1);
  });

  it('a doubtful detection during partial occlusion keeps the track visible (second pass)', () => {
    const run = (tracker: Tracker) => {
      const random = seeded(4);
      const states: string[] = [];
      const ids = new Set<number>();
      for (const at of times(0, 4000)) {
        const full = jitter(standing(200 + 60 * (at / 1000), 500, 50, 120), random);
        // Behind a parked car from 1.6 s to 2.6 s: only the upper 60 % shows and scores 0.25.
        const behindCar = at >= 1600 && at <= 2600;
        const box: Box = behindCar ? [full[0], full[1], full[2], full[1] + 0.6 * (full[3] - full[1])] : full;
        const update = tracker.update([det(box, behindCar ? 0.25 : 0.85)], at);
        for (const o of update.objects) ids.add(o.trackId);
        if (behindCar) states.push(update.objects.map((o) => `${o.trackId}:${o.state}`).join(','));
      }
      return { states, ids };
    };

    const withSecondPass = run(new Tracker());
    expect(withSecondPass.ids).toEqual(new Set([1]));
    expect(new Set(withSecondPass.states)).toEqual(new Set(['1:active']));

    // The same scene with those detections below lowScore: the track coasts as lost instead
    // (and, being back within maxLostMs, still keeps its id).
    const withoutSecondPass = run(new Tracker({ lowScore: 0.3 }));
    expect(withoutSecondPass.ids).toEqual(new Set([1]));
    expect(new Set(withoutSecondPass.states)).toEqual(new Set(['1:lost']));
  });

  it('doubtful detections never start a track', () => {
    const tracker = new Tracker();
    for (const at of times(0, 2000)) {
      expect(tracker.update([det(standing(300, 500, 50, 120), 0.3)], at).objects).toEqual([]);
    }
  });

  it('never matches across classes: a person walking past a parked car stays a person', () => {
    const random = seeded(5);
    const tracker = new Tracker();
    const carBox: Box = [300, 300, 500, 420];
    let carId: number | undefined;
    let personId: number | undefined;
    for (const at of times(0, 6000)) {
      const car = jitter(carBox, random);
      const person = jitter(standing(250 + 50 * (at / 1000), 430, 50, 130), random);
      // For one frame the detector misses the car while the person is right in front of it.
      const carMissed = at === 3000;
      const update = tracker.update(carMissed ? [det(person)] : [det(car, 0.9, 'car'), det(person)], at);
      carId ??= idOf(update, car);
      personId ??= idOf(update, person);
      expect(idOf(update, person)).toBe(personId);
      if (!carMissed) expect(idOf(update, car)).toBe(carId);
      for (const o of update.objects) expect(o.label).toBe(o.trackId === carId ? 'car' : 'person');
    }
    expect(carId).not.toBe(personId);

    // A class change is a different object to the tracker: the 'truck' gets its own track and
    // the car coasts as lost rather than being relabelled.
    const truck = tracker.update([det(jitter(carBox, random), 0.8, 'truck')], 6200);
    expect(byId(truck, carId!)?.state).toBe('lost');
    expect(truck.objects.find((o) => o.label === 'truck')?.trackId).toBeGreaterThan(Math.max(carId!, personId!));
  });

  it('variable frame intervals (200 ms, then 3 s gaps) keep a slow mover on one track', () => {
    const random = seeded(6);
    const tracker = new Tracker();
    // A person strolling at 35 px/s: across a 3 s gap they move 105 px, twice their width.
    const truth = (at: number) => standing(150 + 35 * (at / 1000), 520, 50, 120);
    const schedule = [...times(0, 2000), ...times(5000, 32_000, 3000), ...times(32_200, 34_000), ...times(37_000, 61_000, 3000)];
    let previous: Box | undefined;
    let widestGap = 0;
    for (const at of schedule) {
      const box = jitter(truth(at), random);
      const update = tracker.update([det(box, 0.7 + 0.2 * random())], at);
      expect(update.objects).toHaveLength(1);
      expect(update.objects[0]).toMatchObject({ trackId: 1, state: 'active' });
      if (previous && iou(previous, box) === 0) widestGap++;
      previous = box;
    }
    expect(widestGap).toBeGreaterThan(10);
  });

  it('a busy scene of 30 moving objects on a grid keeps every id', () => {
    const random = seeded(7);
    const tracker = new Tracker();
    // 6 × 5 people circling their own spot (radius 25 px, 4-8 s a turn), neighbours 80 px
    // apart with 60 px wide boxes, so boxes often touch and overlap. From 2 s on the detector
    // misses 5 % of them at random; the detections arrive in random order.
    const objects = Array.from({ length: 30 }, (_, i) => ({
      cx: 160 + (i % 6) * 80,
      bottom: 200 + Math.floor(i / 6) * 110,
      periodMs: 4000 + random() * 4000,
      phase: random() * 2 * Math.PI,
      direction: i % 2 === 0 ? 1 : -1,
    }));
    const idOfObject = new Map<number, number>();
    for (const at of times(0, 30_000)) {
      const frame: { index: number; box: Box }[] = [];
      objects.forEach((o, index) => {
        if (at >= 2000 && random() < 0.05) return;
        const angle = o.phase + (o.direction * 2 * Math.PI * at) / o.periodMs;
        frame.push({ index, box: jitter(standing(o.cx + 25 * Math.cos(angle), o.bottom + 25 * Math.sin(angle), 60, 90), random) });
      });
      for (let i = frame.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [frame[i], frame[j]] = [frame[j]!, frame[i]!];
      }
      const update = tracker.update(
        frame.map((f) => det(f.box, 0.55 + 0.4 * random())),
        at,
      );
      for (const { index, box } of frame) {
        const id = idOf(update, box);
        expect(id).toBeDefined();
        if (!idOfObject.has(index)) idOfObject.set(index, id!);
        expect(id, `object ${index} at ${at} ms`).toBe(idOfObject.get(index));
      }
      expect(update.ended).toEqual([]);
    }
    expect(new Set(idOfObject.values()).size).toBe(30);
    expect(Math.max(...idOfObject.values())).toBe(30);
  });
});

describe('Tracker ending and ids', () => {
  it('an object back after maxLostMs gets a new id; the old track ends exactly once with its summary', () => {
    const random = seeded(8);
    const tracker = new Tracker();
    const door = (score: number) => det(jitter(standing(640, 400, 50, 120), random, 1), score);
    const ended: { at: number; track: EndedTrack }[] = [];
    const seen: Box[] = [];
    let best: Box | undefined;
    let returned: number | undefined;
    for (const at of times(0, 8000)) {
      let detections: Detection[] = [];
      if (at <= 2000) {
        const d = door(at === 1200 ? 0.97 : 0.8);
        if (at === 1200) best = d.box;
        seen.push(d.box);
        detections = [d];
      } else if (at >= 5400) {
        detections = [door(0.8)];
      }
      const update = tracker.update(detections, at);
      for (const track of update.ended) ended.push({ at, track });
      if (at === 5400) {
        expect(update.objects).toMatchObject([{ state: 'new' }]);
        returned = update.objects[0]!.trackId;
      }
      if (at === 5000) expect(byId(update, 1)?.state).toBe('lost');
    }

    expect(returned).toBe(2);
    expect(ended).toHaveLength(1);
    // Last seen at 2000 ms; kept through 5000 ms (maxLostMs), ended by the next update.
    expect(ended[0]!.at).toBe(5200);
    const summary = ended[0]!.track;
    expect(summary).toMatchObject({ trackId: 1, label: 'person', classId: 0, firstSeen: 0, lastSeen: 2000, bestScore: 0.97, bestAt: 1200 });
    expect(summary.bestBox).toEqual(best);
    // One box per 500 ms at most (5 fps gives 600 ms steps), ending with the last seen box.
    expect(summary.samples.map((s) => s.at)).toEqual([0, 600, 1200, 1800, 2000]);
    expect(summary.samples[0]!.box).toEqual(seen[0]);
    expect(summary.samples.at(-1)!.box).toEqual(seen.at(-1));
  });

  it('an object back within maxLostMs keeps its id', () => {
    const tracker = new Tracker();
    const box = standing(640, 400, 50, 120);
    for (const at of times(0, 2000)) tracker.update([det(box)], at);
    for (const at of times(2200, 4800)) tracker.update([], at);
    const back = tracker.update([det(box)], 5000);
    expect(back.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
  });

  it('a lost track survives its first missed update even when the camera is analysed slowly', () => {
    const tracker = new Tracker();
    const box = standing(640, 400, 50, 120);
    tracker.update([det(box)], 0);
    expect(tracker.update([], 5000).objects).toMatchObject([{ trackId: 1, state: 'lost' }]);
    expect(tracker.update([det(box)], 10_000).objects).toMatchObject([{ trackId: 1, state: 'active' }]);
    expect(tracker.update([], 15_000).ended).toEqual([]);
    // The second miss in a row, past maxLostMs: ended in this update, not the next one.
    const gone = tracker.update([], 20_000);
    expect(gone.ended).toMatchObject([{ trackId: 1, firstSeen: 0, lastSeen: 10_000 }]);
    expect(gone.objects).toEqual([]);
    expect(tracker.update([det(box)], 25_000).objects).toMatchObject([{ trackId: 2, state: 'active' }]);
  });

  it('never reuses an id, and ends each confirmed track once', () => {
    const random = seeded(9);
    const tracker = new Tracker();
    // People come and go at random places for two minutes, some briefly, some for a while.
    type Visitor = { from: number; to: number; cx: number; bottom: number; vx: number };
    const visitors: Visitor[] = Array.from({ length: 80 }, () => {
      const from = Math.floor(random() * 600) * FRAME_MS;
      return { from, to: from + 400 + random() * 8000, cx: 100 + random() * 1000, bottom: 200 + random() * 500, vx: (random() - 0.5) * 120 };
    });
    const retired = new Set<number>();
    const endedCount = new Map<number, number>();
    let highest = 0;
    for (const at of times(0, 135_000)) {
      const detections = visitors
        .filter((v) => at >= v.from && at <= v.to && random() > 0.1)
        .map((v) => det(jitter(standing(v.cx + v.vx * ((at - v.from) / 1000), v.bottom, 50, 120), random)));
      const update = tracker.update(detections, at);
      for (const o of update.objects) {
        expect(retired.has(o.trackId), `id ${o.trackId} reused at ${at}`).toBe(false);
        expect(Number.isInteger(o.trackId) && o.trackId > 0).toBe(true);
        if (o.trackId > highest) {
          // A new id is always the next one: ids only grow.
          expect(o.trackId).toBe(highest + 1);
          highest = o.trackId;
        }
      }
      for (const e of update.ended) {
        retired.add(e.trackId);
        endedCount.set(e.trackId, (endedCount.get(e.trackId) ?? 0) + 1);
      }
    }
    expect(tracker.liveTrackCount).toBe(0);
    expect([...endedCount.values()].every((n) => n === 1)).toBe(true);
    expect(endedCount.size).toBeGreaterThan(40);

    // endAll hands over what is live; ids keep counting after it.
    tracker.update([det(standing(300, 500, 50, 120))], 200_000);
    tracker.update([det(standing(300, 500, 50, 120))], 200_200);
    expect(tracker.endAll()).toMatchObject([{ trackId: highest + 1 }]);
    expect(tracker.update([det(standing(300, 500, 50, 120))], 200_400).objects[0]?.trackId).toBe(highest + 2);
  });

  it('keeps a long track to at most maxSamples boxes, evenly spread over its whole life', () => {
    const random = seeded(10);
    const tracker = new Tracker();
    // A car parked for 10 minutes at 5 fps: 3000 updates.
    for (const at of times(0, 600_000)) tracker.update([det(jitter([300, 300, 500, 420], random), 0.9, 'car')], at);
    const [summary] = tracker.endAll();
    const samples = summary!.samples;
    expect(samples.length).toBeLessThanOrEqual(600);
    expect(samples.length).toBeGreaterThan(300);
    expect(samples[0]!.at).toBe(0);
    expect(samples.at(-1)!.at).toBe(600_000);
    const gaps = samples.slice(1).map((s, i) => s.at - samples[i]!.at);
    // The last gap may be shorter: the box at lastSeen is always kept.
    expect(Math.min(...gaps.slice(0, -1))).toBeGreaterThanOrEqual(500);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2400);
  });
});

describe('Tracker reporting', () => {
  it('a car parked for 60 s at 5 fps is reported once plus a keep-alive every 10 s, not 300 times', () => {
    const random = seeded(11);
    const tracker = new Tracker();
    const reportedAt: number[] = [];
    let frames = 0;
    for (const at of times(0, 59_800)) {
      const update = tracker.update([det(jitter([300, 300, 500, 420], random, 3), 0.8 + 0.15 * random(), 'car')], at);
      expect(update.objects).toMatchObject([{ trackId: 1, state: 'active' }]);
      if (update.reportable.length) reportedAt.push(at);
      frames++;
    }
    expect(frames).toBe(300);
    expect(reportedAt).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);

    const quieter = new Tracker({ reportKeepAliveMs: 30_000 });
    let reports = 0;
    for (const at of times(0, 59_800)) reports += quieter.update([det(jitter([300, 300, 500, 420], random, 3), 0.9, 'car')], at).reportable.length;
    expect(reports).toBe(2);
  });

  it('reports a track again when it moves noticeably, and not while it is lost', () => {
    const tracker = new Tracker();
    const reports: number[] = [];
    // Parked for 4 s, then drives off at 100 px/s (half its 200 px width a second), then is gone.
    for (const at of times(0, 8000)) {
      const dx = at <= 4000 ? 0 : (100 * (at - 4000)) / 1000;
      const update = tracker.update(at <= 7000 ? [det([300 + dx, 300, 500 + dx, 420], 0.9, 'car')] : [], at);
      if (update.reportable.length) reports.push(at);
    }
    // First sight, then each time it has gone 100 px (0.5 of its width) past the last report.
    expect(reports).toEqual([0, 5200, 6400]);
  });
});

describe('Tracker throughput', () => {
  it('prints updates per second for 30 objects', () => {
    const random = seeded(12);
    const tracker = new Tracker();
    const frames = times(0, 400_000).map((at) =>
      Array.from({ length: 30 }, (_, i) => det(jitter(standing(100 + (i % 6) * 150 + 20 * Math.sin(at / 1000 + i), 150 + Math.floor(i / 6) * 120, 60, 100), random))),
    );
    const started = performance.now();
    frames.forEach((detections, i) => tracker.update(detections, i * FRAME_MS));
    const seconds = (performance.now() - started) / 1000;
    console.log(`tracker: ${Math.round(frames.length / seconds)} updates/s with 30 objects (${frames.length} updates in ${seconds.toFixed(2)} s)`);
    expect(tracker.liveTrackCount).toBe(30);
  });
});
