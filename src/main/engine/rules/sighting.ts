// One tracked object as every rule of a camera sees it in one frame: where it stands and
// whether that is evidence at all.
import type { CameraState } from '../../../shared/cameras';
import type { TrackedObject } from '../../../shared/detection';
import type { PicturePoint, Rule } from '../../../shared/rules';
import type { EndReason } from './episode';
import type { RuleHit } from './rule-hit';

export interface Sighting {
  object: TrackedObject;
  /** Feet point (or centre) in 0-1 picture coordinates. */
  position: PicturePoint;
  /**
   * Matched to a detection in this frame ('new' or 'active'). A 'lost' track's box is only
   * the tracker's prediction: it keeps an object where it was, it never moves one into a zone.
   */
  seen: boolean;
  /**
   * Confirmed by the tracker ('active' or 'lost'). A tentative track may be a one-frame ghost,
   * so it can build up dwell time but cannot start an incident.
   */
  confirmed: boolean;
  /** Standing inside a mask: ignored by every rule. */
  masked: boolean;
}

export interface Frame {
  at: number;
  frameWidth: number;
  frameHeight: number;
  sightings: readonly Sighting[];
}

/** One rule's state on one camera; each kind of rule listens to the inputs it needs. */
export interface RuleWatcher {
  readonly rule: Rule;
  frame?(frame: Frame, armed: boolean): RuleHit[];
  cameraStatus?(state: CameraState, at: number, armed: boolean): RuleHit[];
  classifierScore?(score: ClassifierScore, armed: boolean): RuleHit[];
  /** Ends whatever is open, e.g. when the configuration changes. */
  stop(at: number, reason: EndReason): RuleHit[];
}

/** A box in 0-1 picture coordinates [x1, y1, x2, y2]. */
export type PictureBox = [x1: number, y1: number, x2: number, y2: number];

export interface ClassifierScore {
  label: string;
  score: number;
  at: number;
  /** The crop the classifier scored; absent when it scored the whole picture. */
  zoneBox?: PictureBox;
}
