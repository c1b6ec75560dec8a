import { describe, it, expect } from 'vitest';
import type { Zone } from '../../../src/shared/rules';
import { evaluatorFor, expectWellFormed, gate, person, play, times, walk, yard } from './scene';

// The gate is at y = 216 px from x = 128 to 1152; side 'a' is above it, so walking down the
// picture is a-to-b.
const crossing = (id: string, direction?: string) => ({ id, type: 'line-crossing', classes: ['person'], lineId: 'gate', ...(direction ? { direction } : {}) });
const allDirections = [crossing('down', 'a-to-b'), crossing('up', 'b-to-a'), crossing('any', 'both'), crossing('drawn')];

/** Deterministic jitter in [-1, 1]. */
function jitter(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 4294967296) * 2 - 1;
  };
}

describe('line crossing', () => {
  it('reports each crossing once, in the configured direction', () => {
    const evaluator = evaluatorFor(allDirections);
    // Down across the gate (y 100 -> 350) in 2 s, then back up.
    const scene = (at: number) => [person(7, ...(at < 5000 ? walk(at, 0, 2000, [640, 100], [640, 350]) : walk(at, 5000, 7000, [640, 350], [640, 100])))];
    const hits = play(evaluator, times(0, 9000), scene);
    const starts = hits.filter((hit) => hit.phase === 'start').map((hit) => `${hit.ruleId}:${hit.details.direction}`);
    expect(starts).toEqual(['down:a-to-b', 'any:a-to-b', 'drawn:a-to-b', 'up:b-to-a', 'any:b-to-a']);
    // A crossing is a moment: its end comes with its start, in the same frame.
    for (const start of hits.filter((hit) => hit.phase === 'start')) {
      const end = hits.find((hit) => hit.phase === 'end' && hit.ruleId === start.ruleId && hit.at === start.at);
      expect(end?.details.reason).toBe('instant');
      expect(start.trackId).toBe(7);
    }
    // The first clearly-below point: y = 100 + 125 px/s passes 216 + 7.2 px of margin between 800 and 1000 ms.
    expect(hits[0]!.at).toBe(1000);
    expectWellFormed(hits);
  });

  it('does not count a person standing on the line with feet jittering across it', () => {
    const evaluator = evaluatorFor(allDirections);
    const random = jitter(3);
    // 20 s standing on the line, feet jittering by up to 6 px, then a step down and 20 s more there.
    const scene = (at: number) => [person(1, 640 + 3 * random(), (at < 20_000 ? 216 : 238) + 6 * random())];
    const hits = play(evaluator, times(0, 40_000), scene);
    // Starting on the line there is no side yet; stepping down from it is not a crossing either.
    expect(hits).toEqual([]);
  });

  it('counts one crossing for someone who dithers on the line before going over', () => {
    const evaluator = evaluatorFor([crossing('any', 'both')]);
    const random = jitter(11);
    const scene = (at: number) => {
      // From above, 10 s on the line jittering by 6 px, then down and away.
      const y = at < 2000 ? walk(at, 0, 2000, [0, 150], [0, 216])[1] : at < 12_000 ? 216 + 6 * random() : walk(at, 12_000, 14_000, [0, 216], [0, 320])[1];
      return [person(1, 640, y)];
    };
    const hits = play(evaluator, times(0, 16_000), scene);
    expect(hits.map((hit) => `${hit.phase}:${hit.details.direction}`)).toEqual(['start:a-to-b', 'end:a-to-b']);
  });

  it('ignores walking round the end of the line, and other classes', () => {
    const evaluator = evaluatorFor(allDirections);
    const hits = play(evaluator, times(0, 4000), (at) => [
      person(1, ...walk(at, 0, 2000, [1200, 100], [1200, 350])),
      person(2, ...walk(at, 0, 2000, [600, 100], [600, 350]), 'active', 'car'),
    ]);
    expect(hits).toEqual([]);
  });

  it("reports a tentative track's crossing once the tracker confirms it, and forgets a ghost's", () => {
    const evaluator = evaluatorFor([crossing('down', 'a-to-b')]);
    // A runner first detected just above the gate: across it before the track is confirmed.
    const runner = play(evaluator, times(0, 1000), (at) => [person(1, 640, 190 + at / 10, at < 600 ? 'new' : 'active')]);
    expect(runner.map((hit) => `${hit.phase}@${hit.at}/${hit.details.since}`)).toEqual(['start@600/400', 'end@600/400']);
    // A tentative track that crosses and vanishes (a ghost) raises nothing.
    const ghost = play(evaluator, times(2000, 3000), (at) => (at <= 2400 ? [person(2, 300, 190 + (at - 2000) / 10, 'new')] : []));
    expect(ghost).toEqual([]);
  });

  it('ignores crossings inside a mask, and does not count coming out of one as a crossing', () => {
    // A mask over the middle of the gate, from y = 144 to 288 px.
    const tree: Zone = { id: 'tree', cameraId: 'cam-1', name: 'Tree', kind: 'mask', polygon: [[0.4, 0.2], [0.6, 0.2], [0.6, 0.4], [0.4, 0.4]] };
    const evaluator = evaluatorFor([crossing('any', 'both')], [yard, tree], [gate]);
    const hits = play(evaluator, times(0, 6000), (at) => [person(1, ...walk(at, 0, 4000, [640, 50], [640, 400]))]);
    expect(hits).toEqual([]);
  });

  it('raises nothing while disarmed, and does not save a crossing up for later', () => {
    const evaluator = evaluatorFor([{ ...crossing('any', 'both'), schedule: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '22:00', to: '06:00' }], timeZone: 'UTC' }]);
    const t0 = Date.parse('2025-01-10T21:59:50Z');
    const hits = play(evaluator, times(t0, t0 + 20_000), (at) => [person(1, ...walk(at, t0, t0 + 2000, [640, 100], [640, 350]))]);
    expect(hits).toEqual([]);
  });

  it("uses the line's own direction when the rule gives none", () => {
    const evaluator = evaluatorFor([crossing('drawn')], undefined, [{ ...gate, direction: 'b-to-a' }]);
    const hits = play(evaluator, times(0, 6000), (at) => [person(1, ...walk(at, 0, 2000, [640, 100], [640, 350])), person(2, ...walk(at, 0, 2000, [300, 350], [300, 100]))]);
    expect(hits.map((hit) => `${hit.phase}:${hit.trackId}`)).toEqual(['start:2', 'end:2']);
  });
});
