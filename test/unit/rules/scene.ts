// Synthetic scenes for the rule evaluator: a 1280x720 camera analysed at 5 fps, people as
// 40x100 px boxes placed by their feet, a yard zone in the lower middle of the picture and a
// gate line across the upper third.
import { expect } from 'vitest';
import type { TrackedObject, TrackState } from '../../../src/shared/detection';
import { RuleSetSchema, type Line, type Zone } from '../../../src/shared/rules';
import { RuleEvaluator, type RuleHit } from '../../../src/main/engine/rules/rule-evaluator';

export const W = 1280;
export const H = 720;
export const FRAME_MS = 200;
export const CAMERA = 'cam-1';

/** x 320-960 px, y 360-648 px. */
export const yard: Zone = {
  id: 'yard',
  cameraId: CAMERA,
  name: 'Yard',
  kind: 'zone',
  polygon: [
    [0.25, 0.5],
    [0.75, 0.5],
    [0.75, 0.9],
    [0.25, 0.9],
  ],
};

/** The right end of the yard, x 768-960 px, where the public pavement runs. */
export const pavement: Zone = {
  id: 'pavement',
  cameraId: CAMERA,
  name: 'Pavement',
  kind: 'mask',
  polygon: [
    [0.6, 0.5],
    [0.75, 0.5],
    [0.75, 0.9],
    [0.6, 0.9],
  ],
};

/** Horizontal at y = 216 px from x = 128 to 1152, drawn left to right: 'a' is above it. */
export const gate: Line = { id: 'gate', cameraId: CAMERA, name: 'Gate', points: [[0.1, 0.3], [0.9, 0.3]], direction: 'a-to-b' };

export const common = { cameraId: CAMERA, severity: 'high', enabled: true, schedule: [], timeZone: 'Europe/London' } as const;

/** Builds an evaluator from raw (schema-checked) configuration. */
export function evaluatorFor(rules: object[], zones: Zone[] = [yard, pavement], lines: Line[] = [gate]): RuleEvaluator {
  const set = RuleSetSchema.parse({ zones, lines, rules: rules.map((rule, i) => ({ name: `Rule ${i}`, ...common, ...rule })) });
  return new RuleEvaluator(CAMERA, set);
}

/** A person whose feet are at (x, y) px. */
export function person(trackId: number, x: number, y: number, state: TrackState = 'active', label = 'person', score = 0.9): TrackedObject {
  return { trackId, state, label, classId: label === 'person' ? 0 : 2, score, box: [x - 20, y - 100, x + 20, y] };
}

/** Moves linearly from `from` to `to` between two times, and stays at the ends outside them. */
export function walk(at: number, t0: number, t1: number, from: [number, number], to: [number, number]): [number, number] {
  const f = Math.min(1, Math.max(0, (at - t0) / (t1 - t0)));
  return [from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1])];
}

export function times(fromMs: number, toMs: number, stepMs = FRAME_MS): number[] {
  const out: number[] = [];
  for (let at = fromMs; at <= toMs; at += stepMs) out.push(at);
  return out;
}

/** Feeds one frame per time and collects every hit. */
export function play(evaluator: RuleEvaluator, at: number[], scene: (at: number) => TrackedObject[]): RuleHit[] {
  return at.flatMap((t) => evaluator.update(scene(t), W, H, t));
}

export const phases = (hits: RuleHit[]) => hits.map((hit) => `${hit.phase}@${hit.at}`);

/**
 * Every (rule, track) sees start, updates, end, in that order, and never two starts without
 * an end between them; with `open` the last incident may still be running.
 */
export function expectWellFormed(hits: RuleHit[], open = false): void {
  const byKey = new Map<string, string[]>();
  for (const hit of hits) {
    const key = `${hit.ruleId}/${hit.trackId ?? '-'}`;
    byKey.set(key, [...(byKey.get(key) ?? []), hit.phase]);
  }
  const pattern = open ? /^(start( update)* end ?)*(start( update)*)?$/ : /^(start( update)* end ?)*$/;
  for (const [key, sequence] of byKey) expect(sequence.join(' ').trim(), key).toMatch(pattern);
  for (const hit of hits) expect(hit.at).toBeGreaterThanOrEqual(hit.details.since);
}
