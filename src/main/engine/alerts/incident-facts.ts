// What alerts need to know about an incident beyond the incident itself: who acted on it last,
// the names of the zone and line it refers to, whether its camera has an offline rule, and
// which picture to attach. Read from the incident service, never written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident } from '../../../shared/incidents';
import type { RuleSet } from '../../../shared/rules';
import type { IncidentService } from '../incidents/incident-service';
import { ENGINE_WHO } from '../incidents/incidents-repo';
import { incidentSnapshotPath } from '../snapshots/incident-frame';
import type { OutboxRow } from './outbox-repo';
import type { AlertSubject } from './policy-engine';

/** Rule sets are re-read at most this often per camera: names change rarely, alerts come in bursts. */
const RULES_TTL_MS = 5000;

export class IncidentFacts {
  private readonly rulesCache = new Map<string, { at: number; set: RuleSet | null }>();

  constructor(
    private readonly incidents: IncidentService,
    private readonly dataDir: string,
    private readonly now: () => number,
  ) {}

  /** The incident as the policy sees it. */
  subject(incident: Incident): AlertSubject {
    // Who took it on, for "acknowledged by": the latest operator entry of its audit log.
    const actor = incident.state === 'new' ? null : (this.incidents.get(incident.id).actions.filter((a) => a.who !== ENGINE_WHO).pop()?.who ?? incident.owner);
    return alertSubject(incident, actor);
  }

  incident(id: string): Incident | null {
    try {
      return this.incidents.get(id);
    } catch {
      return null;
    }
  }

  /** The names of the zone and line the incident's details refer to. */
  places(incident: Incident): { zoneName: string | null; lineName: string | null } {
    const set = this.rules(incident.cameraId);
    return {
      zoneName: set?.zones.find((z) => z.id === incident.details.zoneId)?.name ?? null,
      lineName: set?.lines.find((l) => l.id === incident.details.lineId)?.name ?? null,
    };
  }

  hasOfflineRule(cameraId: string): boolean {
    return this.rules(cameraId)?.rules.some((r) => r.type === 'camera-offline' && r.enabled) ?? false;
  }

  /** The incident's picture with boxes, else its track's thumbnail; none for digests, updates and tests. */
  snapshot(row: OutboxRow): string | null {
    if (!row.incident_id || !(row.kind === 'incident' || row.kind === 'camera-offline' || row.kind === 'escalation')) return null;
    const snapshots = join(this.dataDir, 'snapshots');
    const frame = incidentSnapshotPath(snapshots, row.incident_id);
    if (frame) return frame;
    const ref = this.incident(row.incident_id)?.snapshotRef;
    const thumbnail = ref ? join(snapshots, ref) : null;
    return thumbnail && existsSync(thumbnail) ? thumbnail : null;
  }

  private rules(cameraId: string): RuleSet | null {
    const now = this.now();
    const cached = this.rulesCache.get(cameraId);
    if (cached && now - cached.at < RULES_TTL_MS) return cached.set;
    let set: RuleSet | null;
    try {
      set = this.incidents.rules(cameraId);
    } catch {
      set = null; // a camera deleted since
    }
    if (this.rulesCache.size > 1000) this.rulesCache.clear();
    this.rulesCache.set(cameraId, { at: now, set });
    return set;
  }
}

/** The incident as the policy sees it, given who acted on it last. */
export function alertSubject(incident: Incident, actor: string | null): AlertSubject {
  return {
    key: incident.id,
    incidentId: incident.id,
    cameraId: incident.cameraId,
    cameraName: incident.cameraName,
    ruleId: incident.ruleId,
    ruleName: incident.ruleName,
    type: incident.type,
    severity: incident.severity,
    state: incident.state,
    startedAt: incident.startedAt,
    endedAt: incident.endedAt,
    actor,
    endReason: typeof incident.details.reason === 'string' ? incident.details.reason : null,
  };
}
