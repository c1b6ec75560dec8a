import { describe, it, expect } from 'vitest';
import type { TrackedObject } from '../../../src/shared/detection';
import { evaluatorFor, expectWellFormed, person, phases, play, times, walk } from './scene';

const loitering = { id: 'loiter', type: 'loitering', classes: ['person'], zoneId: 'yard', dwellMs: 30_000 };
const presence = { id: 'present', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 };

describe('loitering', () => {
  it('starts once the dwell since the entry is reached, updates every 5 s, and ends once after leaving', () => {
    const evaluator = evaluatorFor([loitering]);
    // Walks in from the left (x = 320 is the yard's edge, crossed between 1000 and 1200 ms),
    // stands until 50 s, walks out (last inside at 50 800 ms) and on out of the picture.
    const scene = (at: number): TrackedObject[] => {
      if (at > 60_000) return [];
      const [x, y] = at < 50_000 ? walk(at, 0, 2000, [100, 500], [500, 500]) : walk(at, 50_000, 52_000, [500, 500], [100, 500]);
      return [person(1, x, y)];
    };
    const hits = play(evaluator, times(0, 62_000), scene);
    expect(phases(hits)).toEqual(['start@31200', 'update@36200', 'update@41200', 'update@46200', 'end@52800']);
    expect(hits.every((hit) => hit.ruleId === 'loiter' && hit.trackId === 1 && hit.severity === 'high')).toBe(true);
    expect(hits[0]!.details).toMatchObject({ type: 'loitering', zoneId: 'yard', label: 'person', since: 1200, durationMs: 30_000 });
    expect(hits.at(-1)!.details).toMatchObject({ reason: 'cleared', durationMs: 50_800 - 1200 });
    expectWellFormed(hits);
  });

  it('does not trigger for someone walking through the yard', () => {
    const evaluator = evaluatorFor([loitering, presence]);
    // 640 px of yard crossed in about 5 s, a brisk walk for a 100 px tall person.
    const hits = play(evaluator, times(0, 10_000), (at) => [person(1, ...walk(at, 0, 8000, [100, 500], [1200, 500]))]);
    expect(hits.filter((hit) => hit.ruleId === 'loiter')).toEqual([]);
    // Presence with no minimum duration does see them, once.
    expect(hits.map((hit) => hit.phase)).toEqual(['start', 'end']);
    expectWellFormed(hits);
  });

  it('keeps counting the dwell through a dropout shorter than 2 s', () => {
    const evaluator = evaluatorFor([{ ...loitering, dwellMs: 20_000 }]);
    const scene = (at: number) => {
      // Lost behind a pillar for 1.6 s; the tracker's predicted box drifts out of the yard.
      if (at >= 10_000 && at < 11_600) return [person(1, 200, 500, 'lost')];
      return [person(1, 500, 500)];
    };
    const hits = play(evaluator, times(0, 30_000), scene);
    expect(phases(hits)).toEqual(['start@20000', 'update@25000', 'update@30000']);
    expect(hits[0]!.details.since).toBe(0);
    expectWellFormed(hits, true);
  });

  it('starts the dwell afresh after a dropout of 2 s or more', () => {
    const evaluator = evaluatorFor([{ ...loitering, dwellMs: 20_000 }]);
    const scene = (at: number) => [person(1, 500, 500, at >= 10_000 && at < 12_400 ? 'lost' : 'active')];
    const hits = play(evaluator, times(0, 33_000), scene);
    // Last seen inside at 9 800 ms, so the stay is over at 11 800; back at 12 400.
    expect(phases(hits)).toEqual(['start@32400']);
    expect(hits[0]!.details.since).toBe(12_400);
  });

  it('tolerates feet jittering over the zone edge', () => {
    const evaluator = evaluatorFor([{ ...loitering, dwellMs: 10_000 }]);
    // Standing on the yard's left edge; every fifth frame the feet point lands just outside.
    const hits = play(evaluator, times(0, 20_000), (at) => [person(1, at % 1000 === 600 ? 318 : 323, 500)]);
    expect(phases(hits)).toEqual(['start@10000', 'update@15000', 'update@20000']);
  });

  it('ends when the track ends, with that reason', () => {
    const evaluator = evaluatorFor([{ ...loitering, dwellMs: 5000 }]);
    const hits = play(evaluator, times(0, 9000), (at) => (at <= 7000 ? [person(1, 500, 500)] : []));
    expect(phases(hits)).toEqual(['start@5000', 'end@7200']);
    expect(hits[1]!.details).toMatchObject({ reason: 'track-ended', durationMs: 7000 });
  });

  it('keeps one incident per track: two people loitering are two incidents', () => {
    const evaluator = evaluatorFor([{ ...loitering, dwellMs: 5000 }]);
    const hits = play(evaluator, times(0, 12_000), (at) => [person(1, 500, 500), ...(at >= 2000 ? [person(2, 600, 550)] : [])]);
    expect(hits.filter((hit) => hit.phase === 'start').map((hit) => [hit.trackId, hit.at])).toEqual([
      [1, 5000],
      [2, 7000],
    ]);
    expectWellFormed(hits, true);
  });
});

describe('presence', () => {
  it('needs the minimum duration, a class of the rule and a score above its floor', () => {
    const evaluator = evaluatorFor([{ ...presence, minDurationMs: 3000 }]);
    const hits = play(evaluator, times(0, 5000), () => [
      person(1, 500, 500),
      person(2, 600, 500, 'active', 'dog'),
      person(3, 700, 500, 'active', 'person', 0.3),
    ]);
    expect(hits.map((hit) => [hit.phase, hit.trackId, hit.at])).toEqual([['start', 1, 3000]]);
  });

  it('lets a tentative track accumulate time but not start an incident', () => {
    const evaluator = evaluatorFor([presence, { ...loitering, id: 'loiter2', dwellMs: 1000 }]);
    const hits = play(evaluator, times(0, 1200), (at) => [person(1, 500, 500, at < 400 ? 'new' : 'active')]);
    expect(hits.map((hit) => `${hit.ruleId}:${hit.phase}@${hit.at}/${hit.details.since}`)).toEqual(['present:start@400/0', 'loiter2:start@1000/0']);
  });

  it("uses the feet point: a person whose body overlaps the zone but who stands outside it is not in it", () => {
    const evaluator = evaluatorFor([presence]);
    // Feet 12 px below the yard's bottom edge (y = 648): the box covers the yard's bottom strip.
    const hits = play(evaluator, times(0, 2000), () => [person(1, 500, 660)]);
    expect(hits).toEqual([]);
  });
});

describe('masks', () => {
  it('hide objects whose feet are in them from every rule, even inside a zone', () => {
    const evaluator = evaluatorFor([presence, { id: 'crowd', type: 'count', classes: ['person'], zoneId: 'yard', atLeast: 2, minDurationMs: 0 }]);
    // Track 1 on the pavement (x 768-960 is masked), track 2 in the open yard.
    const hits = play(evaluator, times(0, 2000), () => [person(1, 850, 500), person(2, 500, 500)]);
    expect(hits.map((hit) => [hit.ruleId, hit.trackId])).toEqual([['present', 2]]);
  });

  it('ends an incident when its object walks into a mask', () => {
    const evaluator = evaluatorFor([presence]);
    const hits = play(evaluator, times(0, 6000), (at) => [person(1, ...walk(at, 1000, 2000, [600, 500], [850, 500]))]);
    // Into the mask (x >= 768) at 1 800 ms; gone for 2 s at 3 800.
    expect(phases(hits)).toEqual(['start@0', 'end@3600']);
  });
});

describe('schedules', () => {
  const night = [{ days: [0, 1, 2, 3, 4, 5, 6], from: '22:00', to: '06:00' }];
  const london = (iso: string) => Date.parse(`${iso}Z`); // January: London is on UTC

  it('starts when the rule arms if the condition already held, and ends once when it disarms', () => {
    const evaluator = evaluatorFor([{ ...presence, minDurationMs: 10_000, schedule: night }]);
    const evening = times(london('2025-01-10T21:59:00'), london('2025-01-10T22:00:30'), 1000);
    const morning = times(london('2025-01-11T05:59:30'), london('2025-01-11T06:01:00'), 1000);
    const hits = play(evaluator, [...evening, ...morning], () => [person(1, 500, 500)]);
    const starts = hits.filter((hit) => hit.phase === 'start');
    const ends = hits.filter((hit) => hit.phase === 'end');
    expect(starts.map((hit) => hit.at)).toEqual([london('2025-01-10T22:00:00')]);
    expect(starts[0]!.details.since).toBe(london('2025-01-10T21:59:00'));
    expect(ends.map((hit) => [hit.at, hit.details.reason])).toEqual([[london('2025-01-11T06:00:00'), 'disarmed']]);
    expect(hits.at(-1)!.phase).toBe('end');
    expectWellFormed(hits);
  });

  it('raises nothing while disarmed', () => {
    const evaluator = evaluatorFor([{ ...presence, schedule: night }]);
    const noon = london('2025-01-10T12:00:00');
    expect(play(evaluator, times(noon, noon + 30_000), () => [person(1, 500, 500)])).toEqual([]);
  });
});
