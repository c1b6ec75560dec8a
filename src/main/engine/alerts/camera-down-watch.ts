// Cameras down with no camera-offline rule to say so: the alert settings watch them anyway
// (a site should not need a rule per camera to hear that one went dark). A camera down for
// the settings' time becomes a camera-offline subject for the policies, without an incident;
// its end (the picture is back) is an update of the same subject. Kept in memory: after a
// restart the cameras report their state afresh and a camera still down is timed again.
import type { CameraState } from '../../../shared/cameras';
import type { AlertSettings } from '../../../shared/alerts';
import type { AlertSubject } from './policy-engine';

/** As the camera-offline rule counts it: 'connecting' is as blind as 'offline'; 'disabled' was the operator's choice. */
const DOWN: ReadonlySet<CameraState> = new Set(['connecting', 'reconnecting', 'offline', 'error']);

interface DownCamera {
  name: string;
  since: number;
  raised: boolean;
}

export interface CameraDownWatchDeps {
  settings(): AlertSettings['cameraOffline'];
  /** Whether an enabled camera-offline rule already watches this camera. */
  hasOfflineRule(cameraId: string): boolean;
  subject(subject: AlertSubject): void;
  now(): number;
}

export class CameraDownWatch {
  private readonly down = new Map<string, DownCamera>();

  constructor(private readonly deps: CameraDownWatchDeps) {}

  status(cameraId: string, name: string, state: CameraState): void {
    const entry = this.down.get(cameraId);
    if (DOWN.has(state)) {
      if (!entry) this.down.set(cameraId, { name, since: this.deps.now(), raised: false });
      return;
    }
    if (!entry) return;
    this.down.delete(cameraId);
    if (entry.raised) this.deps.subject({ ...this.subjectOf(cameraId, entry), endedAt: this.deps.now(), endReason: state === 'live' ? 'cleared' : 'stopped' });
  }

  removed(cameraId: string): void {
    this.down.delete(cameraId);
  }

  tick(): void {
    const settings = this.deps.settings();
    if (!settings.enabled) return;
    const now = this.deps.now();
    for (const [cameraId, entry] of this.down) {
      if (entry.raised || now - entry.since < settings.afterMs || this.deps.hasOfflineRule(cameraId)) continue;
      entry.raised = true;
      this.deps.subject(this.subjectOf(cameraId, entry));
    }
  }

  private subjectOf(cameraId: string, entry: DownCamera): AlertSubject {
    return {
      key: `camera:${cameraId}:${entry.since}`,
      incidentId: null,
      cameraId,
      cameraName: entry.name,
      ruleId: null,
      ruleName: 'Camera offline',
      type: 'camera-offline',
      severity: this.deps.settings().severity,
      state: 'new',
      startedAt: entry.since,
      endedAt: null,
      actor: null,
      endReason: null,
    };
  }
}
