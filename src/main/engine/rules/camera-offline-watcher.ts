// Camera-offline rules: the camera has not been live for `afterMs`. Fed by camera status, not
// by frames (a down camera has none), so the caller reports the status on every change and
// on a timer, or the wait would only be noticed at the next change.
import type { CameraState } from '../../../shared/cameras';
import type { CameraOfflineRule } from '../../../shared/rules';
import { Episode, UPDATE_EVERY_MS, type EndReason, type EpisodeEvent } from './episode';
import { ruleHit, type RuleHit } from './rule-hit';
import type { RuleWatcher } from './sighting';

/**
 * States in which the operator is not seeing the camera. 'connecting' counts: a camera that
 * never comes up after a restart is as blind as one that dropped. 'disabled' does not: the
 * operator switched it off.
 */
const DOWN: ReadonlySet<CameraState> = new Set(['connecting', 'reconnecting', 'offline', 'error']);

export class CameraOfflineWatcher implements RuleWatcher {
  // No gap: the moment the picture is back the incident is over (afterMs already absorbed blips).
  private readonly episode: Episode;
  private state: CameraState | null = null;

  constructor(readonly rule: CameraOfflineRule) {
    this.episode = new Episode({ minMs: rule.afterMs, gapMs: 0, updateEveryMs: UPDATE_EVERY_MS });
  }

  cameraStatus(state: CameraState, at: number, armed: boolean): RuleHit[] {
    this.state = state;
    const event = state === 'disabled' ? this.episode.stop('stopped') : this.episode.step(DOWN.has(state), at, armed);
    return event ? [this.hit(event, at)] : [];
  }

  stop(at: number, reason: EndReason): RuleHit[] {
    const event = this.episode.stop(reason);
    return event ? [this.hit(event, at)] : [];
  }

  private hit(event: EpisodeEvent, at: number): RuleHit {
    return ruleHit(this.rule, event, at, this.state ? { details: { cameraState: this.state } } : {});
  }
}
