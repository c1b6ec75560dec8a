// A policy engine on a real SQLite database with a clock the test moves, and incidents raised
// through the real incidents repository (escalations read their state from there).
import type { AlertPolicyInput, AlertSettings } from '../../../src/shared/alerts';
import { AlertSettingsSchema } from '../../../src/shared/alerts';
import type { Incident } from '../../../src/shared/incidents';
import type { Severity } from '../../../src/shared/rules';
import { IncidentsRepo } from '../../../src/main/engine/incidents/incidents-repo';
import { alertSubject } from '../../../src/main/engine/alerts/incident-facts';
import { PolicyBook } from '../../../src/main/engine/alerts/policy-book';
import { PolicyEngine, type AlertPlan, type AlertSubject } from '../../../src/main/engine/alerts/policy-engine';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';

export interface PolicyBench {
  db: Db;
  engine: PolicyEngine;
  repo: IncidentsRepo;
  clock: { now: number };
  settings: { current: AlertSettings };
  /** A new incident on a camera, raised now. */
  raise(options?: { camera?: string; type?: string; severity?: Severity; rule?: string }): Incident;
  /** The incident as the policy sees it (what the alert service builds from an incident event). */
  subject(incident: Incident, extra?: Partial<AlertSubject>): AlertSubject;
  /** Feeds the incident's current state to the policy. */
  feed(incident: Incident, extra?: Partial<AlertSubject>): AlertPlan[];
  /** A second engine on the same database: what a restart sees. */
  restart(): PolicyEngine;
}

export const T0 = Date.UTC(2025, 2, 4, 12, 0, 0);

export function policy(input: Partial<AlertPolicyInput> = {}): AlertPolicyInput {
  return { id: 'p1', name: 'Guards', channels: ['webhook'], recipientIds: ['r1'], ...input };
}

export function policyBench(policies: AlertPolicyInput[], timeZone = 'UTC'): PolicyBench {
  const db = openDatabase(':memory:');
  const clock = { now: T0 };
  const settings = { current: AlertSettingsSchema.parse({ siteName: 'Depot', timeZone, policies }) };
  const make = () => new PolicyEngine(new PolicyBook(db), () => settings.current, () => clock.now);
  const engine = make();
  const repo = new IncidentsRepo(db);
  let count = 0;
  // The product's mapping, with the owner standing in for the audit log's last operator.
  const subject = (incident: Incident, extra: Partial<AlertSubject> = {}): AlertSubject => ({ ...alertSubject(incident, incident.owner), ...extra });
  return {
    db,
    engine,
    repo,
    clock,
    settings,
    raise: ({ camera = 'gate-2', type = 'presence', severity = 'high', rule = `${type}-rule` } = {}) =>
      repo.raise({
        cameraId: camera,
        cameraName: camera === 'gate-2' ? 'Gate 2' : camera,
        ruleId: rule,
        ruleName: `Rule ${rule}`,
        type,
        severity,
        trackId: ++count,
        trackKey: null,
        label: 'person',
        startedAt: clock.now,
        raisedAt: clock.now,
        details: { label: 'person', score: 0.9 },
      }),
    subject,
    feed: (incident, extra) => engine.onSubject(subject(repo.get(incident.id) ?? incident, extra)),
    restart: make,
  };
}

/** The plans' actions in a compact form: `send:incident`, `suppress:ALERT_COOLDOWN`. */
export function summary(plans: AlertPlan[]): string[] {
  return plans.map((p) => (p.action === 'send' ? `send:${p.kind}${p.update ? `:${p.update}` : ''}` : `suppress:${p.reason}`));
}
