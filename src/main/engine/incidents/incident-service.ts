// Turns what the cameras see into incidents for the operators: one rule evaluator per camera
// with rules, fed every analysed frame and every camera status, and its hits stored as
// incidents. One incident per (camera, rule, track) while the condition lasts: the evaluator's
// 'start' raises it, 'update's refresh it, 'end' records that the condition is over. What
// operators do to it goes through the state machine and into the audit log.
import { EventEmitter } from 'node:events';
import type { EngineEvent } from '../../../shared/api';
import type { CameraState } from '../../../shared/cameras';
import type { TrackedObject } from '../../../shared/detection';
import type { Incident, IncidentAction, IncidentActionRequest, IncidentQuery } from '../../../shared/incidents';
import type { Rule, RuleSet } from '../../../shared/rules';
import type { DetectionService } from '../detect/detection-service';
import { EngineError } from '../engine-error';
import { RuleEvaluator, type PictureBox, type RuleHit } from '../rules/rule-evaluator';
import type { Db } from '../store/database';
import { CameraRulesRepo, EMPTY_RULE_SET } from './camera-rules-repo';
import { IncidentsRepo } from './incidents-repo';

/** How often a down camera's offline rules are told that time passed (it sends no frames). */
export const STATUS_EVERY_MS = 5000;
/** How long after its condition ended an incident still waits for its track's thumbnail. */
const SNAPSHOT_WAIT_MS = 2 * 60_000;

export interface IncidentServiceDeps {
  db: Db;
  /** The camera's name and state now, or null when there is no such camera. */
  camera: (id: string) => { name: string; state: CameraState } | null;
  log: (line: string) => void;
  now?: () => number;
  statusEveryMs?: number;
}

interface WatchedCamera {
  evaluator: RuleEvaluator;
  rules: Map<string, Rule>;
  /** Incident ids of conditions that still hold, by `ruleId/trackId`. */
  open: Map<string, string>;
  state: CameraState | null;
  /** The tracker run whose track ids the evaluator is following, and its picture size. */
  run: string | null;
  frame: { width: number; height: number } | null;
}

/** What the detection service reports per analysed frame (a subset of its TracksEvent). */
export interface AnalysedFrame {
  cameraId: string;
  run: string;
  objects: readonly TrackedObject[];
  width: number;
  height: number;
  at: number;
}

/** `raised` carries each new incident once, for work done at that moment (its snapshot). */
export class IncidentService extends EventEmitter<{ event: [EngineEvent]; raised: [Incident]; rules: [cameraId: string] }> {
  private readonly repo: IncidentsRepo;
  private readonly rulesRepo: CameraRulesRepo;
  private readonly cameras = new Map<string, WatchedCamera>();
  /** Ended per-track incidents whose thumbnail may still appear, with when to give up. */
  private readonly awaitingSnapshot = new Map<string, number>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: IncidentServiceDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.repo = new IncidentsRepo(deps.db);
    this.rulesRepo = new CameraRulesRepo(deps.db, this.now);
    // Conditions left open by a crash will never see their end.
    const orphans = this.repo.endLeftOpen('engine restarted');
    if (orphans.length) deps.log(`incidents: ended ${orphans.length} conditions left open by the last run`);
    for (const [cameraId, set] of this.rulesRepo.all()) this.build(cameraId, set);
    this.timer = setInterval(() => this.tick(), deps.statusEveryMs ?? STATUS_EVERY_MS);
    this.timer.unref();
  }

  // ----- inputs ------------------------------------------------------------------------

  /** One analysed frame of a camera: every live track the tracker reports. */
  frame(input: AnalysedFrame): void {
    const camera = this.cameras.get(input.cameraId);
    if (!camera) return;
    this.guard(input.cameraId, () => {
      // Track ids restart with the tracker: the old run's tracks have all ended.
      if (camera.run !== null && camera.run !== input.run && camera.frame) {
        this.apply(input.cameraId, camera, camera.evaluator.update([], camera.frame.width, camera.frame.height, input.at));
      }
      camera.run = input.run;
      // A stopping camera reports its last tracks ended without a picture: they all end now.
      if (!(input.width > 0 && input.height > 0)) {
        if (camera.frame) this.apply(input.cameraId, camera, camera.evaluator.update([], camera.frame.width, camera.frame.height, input.at));
        return;
      }
      camera.frame = { width: input.width, height: input.height };
      this.apply(input.cameraId, camera, camera.evaluator.update(input.objects, input.width, input.height, input.at));
    });
  }

  /** A camera's state changed (or is reported again). */
  cameraStatus(cameraId: string, state: CameraState, at = this.now()): void {
    const camera = this.cameras.get(cameraId);
    if (!camera) return;
    camera.state = state;
    this.guard(cameraId, () => this.apply(cameraId, camera, camera.evaluator.cameraStatus(state, at)));
  }

  /** One clip-classifier score (the clip classifier's output): the camera's classifier rules judge it. */
  classifierScore(cameraId: string, label: string, score: number, at: number, zoneBox?: PictureBox): void {
    const camera = this.cameras.get(cameraId);
    if (camera) this.guard(cameraId, () => this.apply(cameraId, camera, camera.evaluator.classifierScore(label, score, at, zoneBox)));
  }

  /** The camera was deleted: its conditions end and its rules go; its incidents stay as evidence. */
  cameraRemoved(cameraId: string): void {
    this.unbuild(cameraId, 'camera removed');
    this.rulesRepo.delete(cameraId);
    this.emit('rules', cameraId);
  }

  /** Listens to the engine: every analysed frame, and the cameras' status and removal. */
  follow(detection: DetectionService | null, cameras: EventEmitter<{ event: [EngineEvent] }>): void {
    detection?.on('tracks', (event) => this.frame({ cameraId: event.cameraId, run: event.run, objects: event.update.objects, width: event.width, height: event.height, at: event.frame.at }));
    cameras.on('event', (event) => {
      if (event.type === 'camera.status' || event.type === 'camera.updated') this.cameraStatus(event.camera.id, event.camera.status.state);
      else if (event.type === 'camera.removed') this.cameraRemoved(event.id);
    });
  }

  // ----- rules -------------------------------------------------------------------------

  rules(cameraId: string): RuleSet {
    this.requireCamera(cameraId);
    return this.rulesRepo.get(cameraId) ?? EMPTY_RULE_SET;
  }

  /**
   * Replaces the camera's rule set (validated by the caller). Conditions of the old rules end
   * ('condition-ended'); the new rules start from nothing, with the camera's current state.
   */
  putRules(cameraId: string, set: RuleSet): RuleSet {
    const camera = this.requireCamera(cameraId);
    this.rulesRepo.put(cameraId, set);
    this.unbuild(cameraId, 'rules changed');
    const watched = this.build(cameraId, set);
    if (watched) this.cameraStatus(cameraId, camera.state);
    // The clip classifier follows the camera's classifier rules.
    this.emit('rules', cameraId);
    return set;
  }

  // ----- incidents ---------------------------------------------------------------------

  list(query: IncidentQuery): Incident[] {
    return this.repo.list(query);
  }

  get(id: string): Incident & { actions: IncidentAction[] } {
    const incident = this.repo.get(id);
    if (!incident) throw new EngineError('RESOURCE_NOT_FOUND', `No incident with id ${id}.`, 404);
    return { ...incident, actions: this.repo.actions(id) };
  }

  act(id: string, request: IncidentActionRequest): Incident {
    const incident = this.repo.act(id, request, this.now());
    this.announce(incident);
    return incident;
  }

  /** An export of the incident's evidence finished: audited under `who`, and announced so open details reload. */
  recordExport(id: string, who: string, note: string): void {
    if (this.repo.recordExport(id, this.now(), who, note)) this.announce(this.repo.get(id)!);
  }

  /**
   * True when footage of this camera in [from, to] must be kept: an incident under evidence
   * lock covers [startedAt - 30 s, (endedAt or now) + 30 s].
   */
  isLocked(cameraId: string, from: number, to: number): boolean {
    return this.repo.isLocked(cameraId, from, to, this.now());
  }

  /** Ends every condition still holding (the engine is stopping) and stops the timer. */
  stop(): void {
    clearInterval(this.timer);
    for (const cameraId of [...this.cameras.keys()]) this.unbuild(cameraId, 'engine stopped');
  }

  // ----- internals ---------------------------------------------------------------------

  /** The camera's name and state; RESOURCE_NOT_FOUND when there is no such camera. */
  requireCamera(cameraId: string): { name: string; state: CameraState } {
    const camera = this.deps.camera(cameraId);
    if (!camera) throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${cameraId}.`, 404);
    return camera;
  }

  private build(cameraId: string, set: RuleSet): WatchedCamera | null {
    const evaluator = new RuleEvaluator(cameraId, set);
    for (const { ruleId, problem } of evaluator.problems) this.deps.log(`incidents: camera ${cameraId} rule ${ruleId} cannot run: ${problem}`);
    if (evaluator.ruleCount === 0) return null;
    const watched: WatchedCamera = {
      evaluator,
      rules: new Map(set.rules.map((rule) => [rule.id, rule])),
      open: new Map(),
      state: this.deps.camera(cameraId)?.state ?? null,
      run: null,
      frame: null,
    };
    this.cameras.set(cameraId, watched);
    return watched;
  }

  private unbuild(cameraId: string, why: string): void {
    const camera = this.cameras.get(cameraId);
    if (!camera) return;
    this.guard(cameraId, () => this.apply(cameraId, camera, camera.evaluator.endAll(this.now(), 'stopped'), why));
    this.cameras.delete(cameraId);
  }

  /** Stores the evaluator's hits; `why` overrides the end reason in the audit log. */
  private apply(cameraId: string, camera: WatchedCamera, hits: RuleHit[], why?: string): void {
    for (const hit of hits) {
      const key = `${hit.ruleId}/${hit.trackId ?? '-'}`;
      const details: Record<string, unknown> = { ...hit.details, ...(hit.objects !== undefined ? { objects: hit.objects } : {}) };
      if (hit.phase === 'start') {
        const rule = camera.rules.get(hit.ruleId);
        const incident = this.repo.raise({
          cameraId,
          cameraName: this.deps.camera(cameraId)?.name ?? cameraId,
          ruleId: hit.ruleId,
          ruleName: rule?.name ?? hit.ruleId,
          type: hit.details.type,
          severity: hit.severity,
          trackId: hit.trackId ?? null,
          trackKey: hit.trackId !== undefined && camera.run !== null ? `${camera.run}:${hit.trackId}` : null,
          label: hit.details.label ?? null,
          // The condition began before the rule's wait was over: the incident covers it all.
          startedAt: hit.details.since,
          raisedAt: hit.at,
          details,
        });
        camera.open.set(key, incident.id);
        this.announce(incident);
        this.emit('raised', incident);
        continue;
      }
      const id = camera.open.get(key);
      if (!id) continue;
      if (hit.phase === 'update') {
        const incident = this.repo.touch(id, hit.at, details);
        if (incident) this.announce(incident);
        continue;
      }
      camera.open.delete(key);
      const incident = this.repo.endCondition(id, hit.at, details, why ?? hit.details.reason ?? 'cleared');
      if (!incident) continue;
      this.announce(incident);
      if (hit.trackId !== undefined && !incident.snapshotRef) this.awaitingSnapshot.set(id, this.now() + SNAPSHOT_WAIT_MS);
    }
  }

  private tick(): void {
    const now = this.now();
    for (const [cameraId, camera] of this.cameras) {
      if (camera.state !== null && camera.state !== 'live') this.cameraStatus(cameraId, camera.state, now);
    }
    for (const [id, until] of this.awaitingSnapshot) {
      const filled = this.guard(id, () => this.repo.fillSnapshot(id));
      if (filled) this.announce(filled);
      if (filled || now > until) this.awaitingSnapshot.delete(id);
    }
  }

  /** A storage failure (a full disk) is logged; it never takes detection down with it. */
  private guard<T>(what: string, work: () => T): T | null {
    try {
      return work();
    } catch (error) {
      this.deps.log(`incidents: ${what}: ${(error as Error).message}`);
      return null;
    }
  }

  private announce(incident: Incident): void {
    this.emit('event', { type: 'incident.updated', incident });
  }
}
