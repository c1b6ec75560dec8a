// The life of one incident: a condition (someone in the zone, three cars in the bay, the
// camera down) that has to hold for a while before it is worth an operator's attention, and
// that is over only when it has stopped holding for a while. Both waits absorb what detection
// does from frame to frame: a track lost for a second behind a pillar, a feet point jittering
// across a zone's edge, a count that flickers from 3 to 2 and back.

export type HitPhase = 'start' | 'update' | 'end';

/**
 * Why an incident ended: the condition stopped holding, its track ended, the schedule
 * disarmed the rule, the evaluator was stopped (configuration changed, detection switched
 * off), or it was a moment with no duration (a line crossing ends as it starts).
 */
export type EndReason = 'cleared' | 'track-ended' | 'disarmed' | 'stopped' | 'instant';

/**
 * How long an object may be out of sight (a lost track) or out of its zone (a feet point
 * jittering over the edge) and still count as there. Long enough for someone to pass behind
 * a pillar, short enough that an incident ends within seconds of someone really leaving.
 */
export const DROPOUT_MS = 2000;

/** Least time between two 'update's of one open incident. */
export const UPDATE_EVERY_MS = 5000;

export interface EpisodeTiming {
  /** How long the condition must hold, from when it began, before the incident starts. */
  minMs: number;
  /** How long the condition may stop holding without breaking it (a gap this long ends it). */
  gapMs: number;
  /** Least time between two 'update's of an open incident. */
  updateEveryMs: number;
}

export interface EpisodeEvent {
  phase: HitPhase;
  /** When the condition began to hold (the entry into the zone, the camera going down). */
  since: number;
  /** The last time it held. */
  lastHeldAt: number;
  reason?: EndReason;
}

export class Episode {
  private since: number | null = null;
  private lastHeldAt = 0;
  private open = false;
  private lastReportAt = 0;

  constructor(private readonly timing: EpisodeTiming) {}

  /** True while the condition holds or is within its gap; the episode can be forgotten otherwise. */
  get active(): boolean {
    return this.since !== null;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Feeds whether the condition holds at `at`. The condition keeps being followed while the
   * rule is disarmed (someone who was already loitering when the schedule arms is loitering),
   * but an incident is open only while armed. `mayStart` false holds the start back without
   * losing the time already accumulated (a track not yet confirmed by the tracker).
   */
  step(holds: boolean, at: number, armed: boolean, mayStart = true): EpisodeEvent | null {
    if (holds) {
      if (this.since === null) this.since = at;
      this.lastHeldAt = at;
    } else if (this.since !== null && at - this.lastHeldAt >= this.timing.gapMs) {
      return this.stop('cleared');
    }
    if (this.since === null) return null;
    if (!armed) return this.open ? this.close('disarmed') : null;
    if (!this.open) {
      if (!holds || !mayStart || at - this.since < this.timing.minMs) return null;
      this.open = true;
      this.lastReportAt = at;
      return this.event('start');
    }
    if (!holds || at - this.lastReportAt < this.timing.updateEveryMs) return null;
    this.lastReportAt = at;
    return this.event('update');
  }

  /** Forgets the condition (the track ended, the rule was removed); an 'end' if an incident was open. */
  stop(reason: EndReason): EpisodeEvent | null {
    const event = this.open ? this.close(reason) : null;
    this.since = null;
    return event;
  }

  private close(reason: EndReason): EpisodeEvent {
    this.open = false;
    return { ...this.event('end'), reason };
  }

  private event(phase: HitPhase): EpisodeEvent {
    return { phase, since: this.since ?? this.lastHeldAt, lastHeldAt: this.lastHeldAt };
  }
}
