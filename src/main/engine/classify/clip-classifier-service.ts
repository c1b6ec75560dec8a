// Runs the clip classifier where the rules ask for it. For each camera with classifier rules,
// each region they watch (the whole picture, or a zone) collects a clip from the camera's
// analysed pictures while at least two people are close together in it, and each full clip's
// scores go to the camera's rule evaluator (IncidentService.classifierScore), where a
// classifier rule with its threshold raises the incident. The engine's thread only picks
// pictures and copies crops; the model runs in the clip worker.
import type { TrackedObject } from '../../../shared/detection';
import type { ClassifierRule, RuleSet, Zone } from '../../../shared/rules';
import type { DetectReason } from '../../../shared/reasons';
import type { TracksEvent } from '../detect/detection-service';
import { objectPosition } from '../rules/object-position';
import { polygonContains } from '../rules/polygon';
import { isArmed } from '../rules/schedule';
import type { PictureBox } from '../rules/sighting';
import { ClipBuffer, type Clip } from './clip-buffer';
import type { ClipClientStatus } from './clip-client';
import type { ClipModelEntry } from './clip-model-spec';
import { copyCrop, groupCrop, zoneCrop } from './clip-region';
import type { ClipFrame } from './clip-tensor';
import { closeGroups } from './proximity';

/**
 * How long a region keeps collecting after its group was last seen: in a scuffle people
 * overlap, fall, and lose their tracks for a moment; the clip should not start over then.
 */
export const GROUP_GRACE_MS = 1500;

/** What the service needs of the clip worker (a ClipClient, or a stand-in in tests). */
export interface ClipScorer {
  classify(frames: ClipFrame[]): Promise<number[] | null>;
  snapshot(): ClipClientStatus;
  stop(): void;
}

export interface ClipClassifierDeps {
  /** Null when there is no usable clip model: `unavailable` says why. */
  scorer: ClipScorer | null;
  entry: ClipModelEntry | null;
  unavailable: { reason: DetectReason; message: string } | null;
  /** The camera's rule set as stored (null when none or no such camera). */
  rulesOf: (cameraId: string) => RuleSet | null;
  /** Feeds one score to the camera's classifier rules. */
  score: (cameraId: string, label: string, score: number, at: number, zoneBox?: PictureBox) => void;
  log: (line: string) => void;
}

export interface ClipRegionStatus {
  /** 'picture' or the zone's id. */
  region: string;
  /** Two or more people close together in it now (or within the grace period). */
  triggered: boolean;
  /** Pictures collected towards the next clip. */
  buffered: number;
  clips: number;
  lastRunAt: number | null;
  /** The positive label's score of the last clip. */
  lastScore: number | null;
}

export interface ClipClassifierStatus {
  state: ClipClientStatus['state'] | 'off';
  reason: DetectReason | null;
  message: string | null;
  model: string | null;
  worker: ClipClientStatus | null;
  cameras: { cameraId: string; regions: ClipRegionStatus[] }[];
}

interface Region {
  id: string;
  zone: Zone | null;
  rules: ClassifierRule[];
  /** Labels the rules ask for that the model has. */
  labels: string[];
  buffer: ClipBuffer;
  crop: PictureBox | null;
  lastGroupAt: number;
  status: ClipRegionStatus;
}

interface CameraClips {
  regions: Region[];
  masks: Zone[];
}

export class ClipClassifierService {
  /** Cameras looked at so far; an entry with no regions means "no classifier rules here". */
  private readonly cameras = new Map<string, CameraClips>();
  private offLogged = false;

  constructor(private readonly deps: ClipClassifierDeps) {}

  /** Listens to every analysed picture and its tracks. */
  follow(detection: { on(event: 'tracks', listener: (event: TracksEvent) => void): unknown }): void {
    detection.on('tracks', (event) => this.onTracks(event));
  }

  /** The camera's rules changed (or it was removed): its regions are built afresh on its next picture. */
  rulesChanged(cameraId: string): void {
    this.cameras.delete(cameraId);
  }

  onTracks(event: TracksEvent): void {
    const { frame, cameraId } = event;
    if (!(event.width > 0 && event.height > 0) || frame.channels !== 3) return;
    const camera = this.camera(cameraId);
    if (camera.regions.length === 0 || !this.deps.scorer || !this.deps.entry) return;
    const people = event.update.objects.filter((o) => isPerson(o) && !camera.masks.some((m) => inZone(m, o, event.width, event.height)));
    for (const region of camera.regions) this.step(cameraId, region, people, event);
  }

  status(): ClipClassifierStatus {
    const worker = this.deps.scorer?.snapshot() ?? null;
    const cameras = [...this.cameras].filter(([, c]) => c.regions.length > 0).map(([cameraId, c]) => ({ cameraId, regions: c.regions.map((r) => ({ ...r.status })) }));
    if (!worker) return { state: 'off', reason: this.deps.unavailable?.reason ?? 'CLIP_MODEL_MISSING', message: this.deps.unavailable?.message ?? null, model: null, worker: null, cameras };
    return { state: worker.state, reason: worker.reason, message: worker.message, model: worker.model, worker, cameras };
  }

  stop(): void {
    this.deps.scorer?.stop();
    this.cameras.clear();
  }

  private step(cameraId: string, region: Region, everyone: readonly TrackedObject[], event: TracksEvent): void {
    const at = event.frame.at;
    const people = region.zone ? everyone.filter((o) => inZone(region.zone!, o, event.width, event.height)) : everyone;
    const group = closeGroups(people.map((p) => p.box)).flat();
    if (group.length > 0) {
      region.lastGroupAt = at;
      region.crop = region.zone ? zoneCrop(region.zone.polygon) : groupCrop(group.map((i) => people[i]!.box), event.width, event.height);
    }
    const triggered = region.crop !== null && at - region.lastGroupAt <= GROUP_GRACE_MS;
    const armed = region.rules.some((rule) => isArmed(rule.schedule, at, rule.timeZone));
    region.status.triggered = triggered;
    if (!triggered || !armed) {
      region.buffer.reset();
      region.status.buffered = 0;
      return;
    }
    if (!region.buffer.wants(at)) return;
    const clip = region.buffer.push(copyCrop(event.frame, region.crop!), at);
    region.status.buffered = region.buffer.length;
    if (clip) void this.classify(cameraId, region, clip);
  }

  private async classify(cameraId: string, region: Region, clip: Clip): Promise<void> {
    const { scorer, entry } = this.deps;
    if (!scorer || !entry) return;
    const scores = await scorer.classify(clip.frames);
    if (!scores) return;
    region.status.clips++;
    region.status.lastRunAt = clip.to;
    region.status.lastScore = scores[entry.labels.indexOf(entry.positiveLabel)] ?? null;
    // A region whose rules changed while the clip was being scored is gone: its scores are stale.
    if (!this.cameras.get(cameraId)?.regions.includes(region)) return;
    const zoneBox = region.zone ? zoneCrop(region.zone.polygon) : undefined;
    for (const label of region.labels) this.deps.score(cameraId, label, scores[entry.labels.indexOf(label)]!, clip.to, zoneBox);
  }

  private camera(cameraId: string): CameraClips {
    let camera = this.cameras.get(cameraId);
    if (camera) return camera;
    camera = this.build(cameraId, this.deps.rulesOf(cameraId));
    this.cameras.set(cameraId, camera);
    return camera;
  }

  private build(cameraId: string, set: RuleSet | null): CameraClips {
    const rules = (set?.rules ?? []).filter((rule): rule is ClassifierRule => rule.type === 'classifier' && rule.enabled && rule.cameraId === cameraId);
    const masks = (set?.zones ?? []).filter((zone) => zone.cameraId === cameraId && zone.kind === 'mask');
    if (rules.length === 0) return { regions: [], masks };
    const { entry } = this.deps;
    if (!entry) {
      if (!this.offLogged) this.deps.log(`clip classifier off (${this.deps.unavailable?.reason ?? 'CLIP_MODEL_MISSING'}): classifier rules raise nothing. ${this.deps.unavailable?.message ?? ''}`.trim());
      this.offLogged = true;
      return { regions: [], masks };
    }
    const byRegion = new Map<string, ClassifierRule[]>();
    for (const rule of rules) {
      if (!entry.labels.includes(rule.label)) {
        this.deps.log(`clip classifier: camera ${cameraId} rule ${rule.id} asks for "${rule.label}", which clip model ${entry.id} does not score (labels: ${entry.labels.join(', ')})`);
        continue;
      }
      const key = rule.zoneId ?? 'picture';
      byRegion.set(key, [...(byRegion.get(key) ?? []), rule]);
    }
    const regions = [...byRegion].flatMap(([key, regionRules]): Region[] => {
      const zone = key === 'picture' ? null : (set?.zones.find((z) => z.id === key && z.cameraId === cameraId && z.kind === 'zone') ?? null);
      // The rule evaluator reports a missing zone; nothing to watch here.
      if (key !== 'picture' && !zone) return [];
      return [
        {
          id: key,
          zone,
          rules: regionRules,
          labels: [...new Set(regionRules.map((rule) => rule.label))],
          buffer: new ClipBuffer({ framesPerClip: entry.framesPerClip, sampleFps: entry.sampleFps }),
          crop: null,
          lastGroupAt: -Infinity,
          status: { region: key, triggered: false, buffered: 0, clips: 0, lastRunAt: null, lastScore: null },
        },
      ];
    });
    return { regions, masks };
  }
}

function isPerson(object: TrackedObject): boolean {
  // Seen in this picture: a lost track's box is only a prediction of where someone was.
  return object.label === 'person' && (object.state === 'new' || object.state === 'active');
}

function inZone(zone: Zone, object: TrackedObject, width: number, height: number): boolean {
  return polygonContains(zone.polygon, ...objectPosition(object.box, object.label, width, height));
}
