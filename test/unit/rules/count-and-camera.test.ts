import { describe, it, expect } from 'vitest';
import type { TrackedObject } from '../../../src/shared/detection';
import { RuleEvaluator } from '../../../src/main/engine/rules/rule-evaluator';
import { RuleSchema } from '../../../src/shared/rules';
import { CAMERA, common, evaluatorFor, expectWellFormed, gate, pavement, person, phases, play, times, yard } from './scene';

const crowd = { id: 'crowd', type: 'count', classes: ['person'], zoneId: 'yard', atLeast: 3, minDurationMs: 2000 };

describe('count', () => {
  it('is one incident for the rule while enough objects are in the zone, however they come and go', () => {
    const evaluator = evaluatorFor([crowd]);
    const scene = (at: number): TrackedObject[] => {
      const people = [person(1, 400, 500), person(2, 500, 500)];
      // Person 3 steps out of the yard for a second at 10 s, and leaves for good at 20 s.
      if (at < 20_000) people.push(person(3, at >= 10_000 && at < 11_000 ? 300 : 600, 500));
      // Person 2 is lost for 1.4 s at 15 s: still counted.
      if (at >= 15_000 && at < 16_400) people[1] = person(2, 500, 500, 'lost');
      return people;
    };
    const hits = play(evaluator, times(0, 25_000), scene);
    // Three from 0 ms, so the start at 2 000; the end 2 s after person 3 was last in at 19 800.
    expect(phases(hits)).toEqual(['start@2000', 'update@7000', 'update@12000', 'update@17000', 'end@21800']);
    expect(hits.every((hit) => hit.trackId === undefined)).toBe(true);
    expect(hits[0]).toMatchObject({ objects: 3, details: { trackIds: [1, 2, 3], zoneId: 'yard', since: 0 } });
    expect(hits.at(-1)).toMatchObject({ objects: 2, details: { reason: 'cleared' } });
    expectWellFormed(hits);
  });

  it('does not start on a count that only touches the threshold now and then', () => {
    const evaluator = evaluatorFor([crowd]);
    // Every 5 s someone else cuts across the yard, in it for a second (a new track each time).
    const passerBy = (at: number) => (at % 5000 < 1000 ? [person(100 + Math.floor(at / 5000), 600, 500)] : []);
    const hits = play(evaluator, times(0, 30_000), (at) => [person(1, 400, 500), person(2, 500, 500), ...passerBy(at)]);
    expect(hits).toEqual([]);
  });

  it('does not count tentative tracks, other classes, or objects outside the zone', () => {
    const evaluator = evaluatorFor([{ ...crowd, minDurationMs: 0 }]);
    const hits = play(evaluator, times(0, 3000), () => [person(1, 400, 500), person(2, 500, 500, 'new'), person(3, 600, 500, 'active', 'car'), person(4, 100, 500)]);
    expect(hits).toEqual([]);
  });
});

describe('camera offline', () => {
  const offline = { id: 'down', type: 'camera-offline', afterMs: 30_000 };

  it('ignores a reconnect that is over before afterMs', () => {
    const evaluator = evaluatorFor([offline]);
    const hits = [evaluator.cameraStatus('live', 0), evaluator.cameraStatus('reconnecting', 1000), evaluator.cameraStatus('reconnecting', 20_000), evaluator.cameraStatus('live', 25_000)].flat();
    expect(hits).toEqual([]);
  });

  it('starts once the camera has been down for afterMs, updates while it stays down, ends when live', () => {
    const evaluator = evaluatorFor([offline]);
    const hits = [
      evaluator.cameraStatus('live', 0),
      evaluator.cameraStatus('reconnecting', 10_000),
      // The health loop reports the state every second while the camera is down.
      ...times(11_000, 49_000, 1000).map((at) => evaluator.cameraStatus(at < 30_000 ? 'reconnecting' : 'offline', at)),
      evaluator.cameraStatus('live', 50_000),
    ].flat();
    expect(phases(hits)).toEqual(['start@40000', 'update@45000', 'end@50000']);
    expect(hits[0]!.details).toMatchObject({ type: 'camera-offline', since: 10_000, cameraState: 'offline' });
    expect(hits[2]!.details).toMatchObject({ reason: 'cleared', cameraState: 'live' });
    expectWellFormed(hits);
  });

  it('ends without alarm when the operator disables the camera', () => {
    const evaluator = evaluatorFor([offline]);
    const hits = [evaluator.cameraStatus('error', 0), evaluator.cameraStatus('error', 31_000), evaluator.cameraStatus('disabled', 32_000), evaluator.cameraStatus('disabled', 90_000)].flat();
    expect(hits.map((hit) => `${hit.phase}:${hit.details.reason ?? ''}`)).toEqual(['start:', 'end:stopped']);
  });
});

describe('classifier', () => {
  const wholePicture = { id: 'fight', type: 'classifier', label: 'violence', threshold: 0.8, minDurationMs: 2000 };
  const inYard = { ...wholePicture, id: 'fight-yard', zoneId: 'yard' };

  it('starts after the score holds for minDurationMs, ends 10 s after the last high score', () => {
    const evaluator = evaluatorFor([wholePicture, inYard]);
    const hits = times(0, 40_000, 1000).flatMap((at) => evaluator.classifierScore('violence', at <= 10_000 ? 0.9 : 0.5, at));
    expect(hits.map((hit) => `${hit.ruleId}:${hit.phase}@${hit.at}`)).toEqual(['fight:start@2000', 'fight:update@7000', 'fight:end@20000']);
    expect(hits[0]!.details).toMatchObject({ label: 'violence', score: 0.9 });
  });

  it('gives a zone rule only the scores of crops centred in its zone, and other labels to nobody', () => {
    const evaluator = evaluatorFor([wholePicture, inYard]);
    const hits = times(0, 3000, 1000).flatMap((at) => [
      ...evaluator.classifierScore('violence', 0.95, at, [0.3, 0.55, 0.7, 0.85]),
      ...evaluator.classifierScore('violence', 0.95, at, [0.0, 0.0, 0.2, 0.2]),
      ...evaluator.classifierScore('fall', 0.99, at),
    ]);
    expect(hits.map((hit) => `${hit.ruleId}:${hit.phase}`)).toEqual(['fight-yard:start']);
    expect(hits[0]!.details.zoneId).toBe('yard');
  });

  it('ends an incident when the scores stop coming, on the clock of the frames', () => {
    const evaluator = evaluatorFor([wholePicture]);
    const hits = [...times(0, 3000, 1000).flatMap((at) => evaluator.classifierScore('violence', 0.9, at)), ...play(evaluator, times(3200, 15_000), () => [])];
    expect(phases(hits)).toEqual(['start@2000', 'end@13000']);
  });
});

describe('RuleEvaluator', () => {
  it("ends every open incident on endAll, and raises nothing more for them", () => {
    const evaluator = evaluatorFor([
      { id: 'loiter', type: 'loitering', classes: ['person'], zoneId: 'yard', dwellMs: 1000 },
      { ...crowd, atLeast: 1, minDurationMs: 0 },
      { id: 'down', type: 'camera-offline', afterMs: 1000 },
    ]);
    const open = [...play(evaluator, times(0, 2000), () => [person(1, 500, 500)]), ...evaluator.cameraStatus('offline', 2000), ...evaluator.cameraStatus('offline', 3000)];
    expect(open.filter((hit) => hit.phase === 'start').map((hit) => hit.ruleId)).toEqual(['crowd', 'loiter', 'down']);
    const ended = evaluator.endAll(4000);
    expect(ended.map((hit) => `${hit.ruleId}:${hit.phase}:${hit.details.reason}`).sort()).toEqual(['crowd:end:stopped', 'down:end:stopped', 'loiter:end:stopped']);
    expect(evaluator.endAll(5000)).toEqual([]);
    expectWellFormed([...open, ...ended]);
  });

  it("keeps only this camera's enabled rules, and names the ones it cannot run", () => {
    const rule = (fields: object) => RuleSchema.parse({ name: 'R', ...common, ...fields });
    const evaluator = new RuleEvaluator(CAMERA, {
      zones: [yard, pavement, { ...yard, id: 'other-yard', cameraId: 'cam-2' }],
      lines: [gate],
      rules: [
        rule({ id: 'ok', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 }),
        rule({ id: 'off', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0, enabled: false }),
        rule({ id: 'elsewhere', type: 'presence', classes: ['person'], zoneId: 'other-yard', minScore: 0.5, minDurationMs: 0, cameraId: 'cam-2' }),
        rule({ id: 'masked', type: 'presence', classes: ['person'], zoneId: 'pavement', minScore: 0.5, minDurationMs: 0 }),
        rule({ id: 'gone', type: 'line-crossing', classes: ['person'], lineId: 'fence' }),
        rule({ id: 'borrowed', type: 'count', classes: ['person'], zoneId: 'other-yard', atLeast: 1, minDurationMs: 0 }),
      ],
    });
    expect(evaluator.ruleCount).toBe(1);
    expect(evaluator.problems.map((p) => p.ruleId)).toEqual(['masked', 'gone', 'borrowed']);
  });

  it('treats a time that steps back as the last time, and rejects a frame without a size', () => {
    const evaluator = evaluatorFor([{ id: 'loiter', type: 'loitering', classes: ['person'], zoneId: 'yard', dwellMs: 2000 }]);
    const hits = play(evaluator, [0, 1000, 500, 2000], () => [person(1, 500, 500)]);
    expect(phases(hits)).toEqual(['start@2000']);
    expect(() => evaluator.update([], 0, 720, 3000)).toThrow(RangeError);
    expect(() => evaluator.update([], 1280, 720, Number.NaN)).toThrow(RangeError);
  });
});
