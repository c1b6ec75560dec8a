// The rules of one camera, evaluated on what its tracker reports. Pure: no clock, no I/O;
// every input carries its time, so the same inputs always give the same hits, live or in a
// test. The caller keys incidents on (ruleId, trackId) and stores the hits.
//
// Masks are applied here, once, before any rule: an object whose feet point is inside one of
// the camera's masks does not exist for its rules.
import type { CameraState } from '../../../shared/cameras';
import type { TrackedObject } from '../../../shared/detection';
import { isKnownTimeZone, ruleReferenceProblem, type Line, type Rule, type Zone } from '../../../shared/rules';
import { CameraOfflineWatcher } from './camera-offline-watcher';
import { ClassifierWatcher } from './classifier-watcher';
import { CountWatcher } from './count-watcher';
import type { EndReason } from './episode';
import { LineWatcher } from './line-watcher';
import { objectPosition } from './object-position';
import { polygonContains } from './polygon';
import type { RuleHit } from './rule-hit';
import { isArmed } from './schedule';
import type { PictureBox, RuleWatcher, Sighting } from './sighting';
import { TrackZoneWatcher } from './track-zone-watcher';

export type { RuleHit, RuleHitDetails, EndReason, HitPhase } from './rule-hit';
export type { PictureBox } from './sighting';

export interface RuleEvaluatorConfig {
  zones: readonly Zone[];
  lines: readonly Line[];
  rules: readonly Rule[];
}

/** A rule of this camera that the evaluator cannot run, and why (for the UI and logs). */
export interface RuleProblem {
  ruleId: string;
  problem: string;
}

export class RuleEvaluator {
  /** Enabled rules of this camera that cannot run: a missing zone or line, an unknown time zone. */
  readonly problems: RuleProblem[] = [];
  private readonly watchers: RuleWatcher[] = [];
  private readonly masks: Zone[];
  private lastAt = -Infinity;

  /** Takes the whole configuration (or this camera's part) and keeps what concerns `cameraId`. */
  constructor(
    readonly cameraId: string,
    config: RuleEvaluatorConfig,
  ) {
    this.masks = config.zones.filter((zone) => zone.cameraId === cameraId && zone.kind === 'mask');
    for (const rule of config.rules) {
      if (rule.cameraId !== cameraId || !rule.enabled) continue;
      const problem = ruleReferenceProblem(rule, config.zones, config.lines) ?? (isKnownTimeZone(rule.timeZone) ? null : `unknown time zone ${rule.timeZone}`);
      if (problem) {
        this.problems.push({ ruleId: rule.id, problem });
        continue;
      }
      this.watchers.push(watcherFor(rule, config));
    }
  }

  /** Number of rules being evaluated. */
  get ruleCount(): number {
    return this.watchers.length;
  }

  /**
   * Feeds one analysed frame: every live track the tracker reports (its `objects`, lost ones
   * included), with the size of the picture their boxes are in. A track that is no longer in
   * the list has ended.
   */
  update(objects: readonly TrackedObject[], frameWidth: number, frameHeight: number, timeMs: number): RuleHit[] {
    if (!(frameWidth > 0 && frameHeight > 0 && Number.isFinite(frameWidth) && Number.isFinite(frameHeight))) {
      throw new RangeError(`frame size must be positive, got ${frameWidth}x${frameHeight}`);
    }
    const at = this.advance(timeMs);
    const sightings = objects.map((object): Sighting => {
      const position = objectPosition(object.box, object.label, frameWidth, frameHeight);
      return {
        object,
        position,
        seen: object.state === 'new' || object.state === 'active',
        confirmed: object.state === 'active' || object.state === 'lost',
        masked: this.masks.some((mask) => polygonContains(mask.polygon, ...position)),
      };
    });
    const frame = { at, frameWidth, frameHeight, sightings };
    return this.watchers.flatMap((watcher) => watcher.frame?.(frame, this.armed(watcher.rule, at)) ?? []);
  }

  /**
   * Feeds the camera's state: on every change, and on a timer while it is down (a camera that
   * is down sends no frames, so nothing else tells the evaluator that time has passed).
   */
  cameraStatus(state: CameraState, timeMs: number): RuleHit[] {
    const at = this.advance(timeMs);
    return this.watchers.flatMap((watcher) => watcher.cameraStatus?.(state, at, this.armed(watcher.rule, at)) ?? []);
  }

  /**
   * Feeds one clip classifier score for `label`. `zoneBox` is the crop it scored, in 0-1
   * picture coordinates; absent when it scored the whole picture.
   */
  classifierScore(label: string, score: number, timeMs: number, zoneBox?: PictureBox): RuleHit[] {
    if (!Number.isFinite(score)) return [];
    const at = this.advance(timeMs);
    const input = zoneBox ? { label, score, at, zoneBox } : { label, score, at };
    return this.watchers.flatMap((watcher) => watcher.classifierScore?.(input, this.armed(watcher.rule, at)) ?? []);
  }

  /**
   * Ends every open incident, e.g. before this evaluator is replaced by one with a new
   * configuration, or when detection stops on the camera.
   */
  endAll(timeMs: number, reason: EndReason = 'stopped'): RuleHit[] {
    const at = this.advance(timeMs);
    return this.watchers.flatMap((watcher) => watcher.stop(at, reason));
  }

  /** Times never go backwards (clocks do step back): an older time is taken as the last one. */
  private advance(timeMs: number): number {
    if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`);
    this.lastAt = Math.max(this.lastAt, timeMs);
    return this.lastAt;
  }

  private armed(rule: Rule, at: number): boolean {
    return isArmed(rule.schedule, at, rule.timeZone);
  }
}

function watcherFor(rule: Rule, config: RuleEvaluatorConfig): RuleWatcher {
  // ruleReferenceProblem has vouched for every reference looked up here.
  const zone = (id: string) => config.zones.find((z) => z.id === id)!;
  switch (rule.type) {
    case 'presence':
    case 'loitering':
      return new TrackZoneWatcher(rule, zone(rule.zoneId));
    case 'count':
      return new CountWatcher(rule, zone(rule.zoneId));
    case 'line-crossing':
      return new LineWatcher(rule, config.lines.find((line) => line.id === rule.lineId)!);
    case 'camera-offline':
      return new CameraOfflineWatcher(rule);
    case 'classifier':
      return new ClassifierWatcher(rule, rule.zoneId === undefined ? null : zone(rule.zoneId));
  }
}
