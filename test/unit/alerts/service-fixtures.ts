// The real incident and alert services on a real SQLite database in a temp directory, with a
// presence rule on one camera and frames the test plays: what the engine wires, minus HTTP.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/shared/api';
import { AlertSettingsSchema, type AlertPolicyInput } from '../../../src/shared/alerts';
import type { Incident } from '../../../src/shared/incidents';
import { RuleSetSchema } from '../../../src/shared/rules';
import { AlertService } from '../../../src/main/engine/alerts/alert-service';
import { IncidentService } from '../../../src/main/engine/incidents/incident-service';
import { SecretBox } from '../../../src/main/engine/secrets/secret-box';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { CAMERA, common, H, person, W, yard } from '../rules/scene';

export interface ServiceBench {
  dir: string;
  db: Db;
  box: SecretBox;
  incidents: IncidentService;
  alerts: AlertService;
  events: EngineEvent[];
  /** Where camera events come from (the camera service in the engine). */
  cameras: EventEmitter<{ event: [EngineEvent] }>;
  /** The alert services' clock runs this far ahead of the real one (ms). */
  clock: { offset: number };
  logs: string[];
  /** A person enters the yard as a new track: one new incident. Returns it. */
  intruder(): Incident;
  policies(policies: AlertPolicyInput[]): void;
  /** A second alert service on the same database (a restart), started. */
  restart(): AlertService;
  close(): Promise<void>;
}

export function serviceBench(): ServiceBench {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerts-'));
  const db = openDatabase(join(dir, 'vigil.db'));
  const box = new SecretBox(randomBytes(32));
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const incidents = new IncidentService({ db, camera: (id) => (id === CAMERA ? { name: 'Yard camera', state: 'live' } : null), log, statusEveryMs: 60_000 });
  incidents.putRules(CAMERA, RuleSetSchema.parse({ zones: [yard], lines: [], rules: [{ ...common, id: 'intruder', name: 'Intruder in the yard', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 }] }));
  const services: AlertService[] = [];
  const events: EngineEvent[] = [];
  const cameras = new EventEmitter<{ event: [EngineEvent] }>();
  const clock = { offset: 0 };
  const make = () => {
    const alerts = new AlertService({ db, box, dataDir: dir, incidents, log, tickMs: 50, now: () => Date.now() + clock.offset });
    alerts.follow(incidents, cameras);
    alerts.on('event', (event) => events.push(event));
    services.push(alerts);
    return alerts;
  };
  const alerts = make();
  let track = 0;
  return {
    dir,
    db,
    box,
    incidents,
    alerts,
    events,
    cameras,
    clock,
    logs,
    intruder() {
      const id = ++track;
      const at = Date.now();
      const before = new Set(incidents.list({ limit: 500 }).map((i) => i.id));
      incidents.frame({ cameraId: CAMERA, run: 'run-1', objects: [person(id, 640, 500)], width: W, height: H, at });
      const raised = incidents.list({ limit: 500 }).find((i) => !before.has(i.id));
      if (!raised) throw new Error('no incident raised');
      return raised;
    },
    policies(policies) {
      alerts.config.putSettings(AlertSettingsSchema.parse({ siteName: 'Depot', timeZone: 'UTC', policies }));
    },
    restart() {
      const next = make();
      next.start();
      return next;
    },
    async close() {
      for (const service of services) await service.stop();
      incidents.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
