// The alert policy with a clock the test moves: one alert per incident and its updates, the
// cooldown per camera and rule type, dedup, the hourly maximum, quiet hours with the
// critical override, escalations that survive a restart, and digests of held-back bursts.
import { afterEach, describe, expect, it } from 'vitest';
import { renderAlert } from '../../../src/main/engine/alerts/message';
import { policyCovers } from '../../../src/main/engine/alerts/policy-engine';
import { AlertPolicySchema } from '../../../src/shared/alerts';
import { policy, policyBench, summary, T0, type PolicyBench } from './policy-fixtures';

const MIN = 60_000;
let bench: PolicyBench | null = null;
const open = (...args: Parameters<typeof policyBench>) => (bench = policyBench(...args));

afterEach(() => {
  bench?.db.close();
  bench = null;
});

describe('one alert per incident', () => {
  it('alerts when an incident is raised, never for its refreshes, and once when it is handled', () => {
    const b = open([policy({ cooldownMs: 0 })]);
    const incident = b.raise();
    expect(summary(b.feed(incident))).toEqual(['send:incident']);
    // The same incident again (a refresh every few seconds while the person stays): nothing.
    for (let i = 1; i <= 5; i++) {
      b.clock.now = T0 + i * 5000;
      expect(b.feed(incident)).toEqual([]);
    }
    b.repo.act(incident.id, { action: 'acknowledge', who: 'ana' }, b.clock.now);
    const update = b.feed(incident, { actor: 'ana' });
    expect(summary(update)).toEqual(['send:update:handled']);
    expect(update[0]).toMatchObject({ action: 'send', sequence: 'handled', subject: { state: 'acknowledged', actor: 'ana' } });
    // Closing it later changes nothing more for the people alerted.
    b.repo.act(incident.id, { action: 'close', who: 'ana' }, b.clock.now);
    expect(b.feed(incident)).toEqual([]);
  });

  it('does not raise incidents first seen already handled or over', () => {
    const b = open([policy()]);
    const handled = b.raise();
    b.repo.act(handled.id, { action: 'acknowledge', who: 'ana' }, T0);
    expect(b.feed(handled)).toEqual([]);
    const over = b.raise({ camera: 'yard' });
    expect(b.feed(over, { endedAt: T0 })).toEqual([]);
  });

  it('tells when an offline camera is back, and only then', () => {
    const b = open([policy({ cooldownMs: 0 })]);
    const down = b.raise({ type: 'camera-offline', severity: 'critical' });
    expect(summary(b.feed(down))).toEqual(['send:camera-offline']);
    // Ended because the rules changed: not "back online".
    expect(b.feed(down, { endedAt: T0 + MIN, endReason: 'stopped' })).toEqual([]);
    const again = b.raise({ type: 'camera-offline', severity: 'critical', camera: 'yard' });
    b.feed(again);
    expect(summary(b.feed(again, { endedAt: T0 + MIN, endReason: 'cleared' }))).toEqual(['send:update:back-online']);
    expect(b.feed(again, { endedAt: T0 + MIN, endReason: 'cleared' })).toEqual([]);
  });

  it('matches policies by rule, rule type, camera and least severity', () => {
    const p = AlertPolicySchema.parse(policy({ ruleIds: ['r-yard'], ruleTypes: ['presence'], cameraIds: ['yard'], minSeverity: 'high' }));
    const subject = { ruleId: 'r-yard', type: 'presence', cameraId: 'yard', severity: 'high' as const };
    expect(policyCovers(p, subject)).toBe(true);
    expect(policyCovers(p, { ...subject, severity: 'critical' })).toBe(true);
    expect(policyCovers(p, { ...subject, severity: 'medium' })).toBe(false);
    expect(policyCovers(p, { ...subject, ruleId: 'r-gate' })).toBe(false);
    expect(policyCovers(p, { ...subject, type: 'loitering' })).toBe(false);
    expect(policyCovers(p, { ...subject, cameraId: 'gate' })).toBe(false);
    expect(policyCovers({ ...p, enabled: false }, subject)).toBe(false);
    expect(policyCovers(AlertPolicySchema.parse(policy()), { ruleId: null, type: 'camera-offline', cameraId: 'any', severity: 'low' })).toBe(true);
  });
});

describe('cooldown and dedup', () => {
  it('holds back a second alert for the same camera and rule type within the cooldown', () => {
    const b = open([policy({ cooldownMs: MIN })]);
    expect(summary(b.feed(b.raise()))).toEqual(['send:incident']);
    b.clock.now = T0 + 10_000;
    expect(summary(b.feed(b.raise()))).toEqual(['suppress:ALERT_COOLDOWN']);
    // Another camera, or another rule type on the same camera: not the same cooldown.
    expect(summary(b.feed(b.raise({ camera: 'yard' })))).toEqual(['send:incident']);
    expect(summary(b.feed(b.raise({ type: 'loitering' })))).toEqual(['send:incident']);
    b.clock.now = T0 + MIN + 1;
    expect(summary(b.feed(b.raise()))).toEqual(['send:incident']);
  });

  it('decides each incident once per policy, and each policy on its own', () => {
    const b = open([policy({ id: 'guards', cooldownMs: 0 }), policy({ id: 'managers', recipientIds: ['r2'], minSeverity: 'critical' }), policy({ id: 'night', recipientIds: ['r3'], cooldownMs: 0 })]);
    const incident = b.raise({ severity: 'high' });
    const plans = b.feed(incident);
    expect(plans.map((p) => p.policy.id)).toEqual(['guards', 'night']);
    expect(b.feed(incident)).toEqual([]);
    // A restart (a new engine on the same database) remembers what was decided.
    expect(b.restart().onSubject(b.subject(incident))).toEqual([]);
  });
});

describe('maximum per hour', () => {
  it('holds back alerts over the hourly maximum until the hour has room again', () => {
    const b = open([policy({ cooldownMs: 0, maxPerHour: 3 })]);
    const decided: string[] = [];
    for (let i = 0; i < 5; i++) {
      b.clock.now = T0 + i * MIN;
      decided.push(...summary(b.feed(b.raise({ camera: `cam-${i}` }))));
    }
    expect(decided).toEqual(['send:incident', 'send:incident', 'send:incident', 'suppress:ALERT_RATE_LIMITED', 'suppress:ALERT_RATE_LIMITED']);
    // The first alert (at T0) leaves the hour at T0 + 60 min.
    b.clock.now = T0 + 60 * MIN + 1;
    expect(summary(b.feed(b.raise({ camera: 'cam-5' })))).toEqual(['send:incident']);
    expect(summary(b.feed(b.raise({ camera: 'cam-6' })))).toEqual(['suppress:ALERT_RATE_LIMITED']);
  });
});

describe('quiet hours', () => {
  // 22:00-06:00 in Berlin; T0 is 12:00 UTC on 4 March (13:00 in Berlin).
  const quiet = { from: '22:00', to: '06:00', criticalOverride: true };
  const at = (hour: number, minute = 0) => Date.UTC(2025, 2, 4, hour - 1, minute); // Berlin is UTC+1 in March

  it('holds back all but critical alerts in the window, read on the site clock', () => {
    const b = open([policy({ cooldownMs: 0, quietHours: quiet })], 'Europe/Berlin');
    b.clock.now = at(23, 30);
    expect(summary(b.feed(b.raise({ severity: 'high' })))).toEqual(['suppress:ALERT_QUIET_HOURS']);
    expect(summary(b.feed(b.raise({ severity: 'critical', camera: 'yard' })))).toEqual(['send:incident']);
    b.clock.now = at(21, 59);
    expect(summary(b.feed(b.raise({ severity: 'high', camera: 'a' })))).toEqual(['send:incident']);
    b.clock.now = Date.UTC(2025, 2, 5, 4, 59); // 05:59 next morning in Berlin
    expect(summary(b.feed(b.raise({ severity: 'low', camera: 'b' })))).toEqual(['suppress:ALERT_QUIET_HOURS']);
    b.clock.now = Date.UTC(2025, 2, 5, 5, 0); // 06:00
    expect(summary(b.feed(b.raise({ severity: 'low', camera: 'c' })))).toEqual(['send:incident']);
  });

  it('holds back critical ones too without the override, and digests none of it', () => {
    const b = open([policy({ cooldownMs: 0, quietHours: { ...quiet, criticalOverride: false } })], 'Europe/Berlin');
    b.clock.now = at(2);
    const plans = b.feed(b.raise({ severity: 'critical' }));
    expect(summary(plans)).toEqual(['suppress:ALERT_QUIET_HOURS']);
    expect(plans[0]).toMatchObject({ digested: false });
    b.clock.now = at(9);
    expect(b.engine.due()).toEqual([]);
  });
});

describe('escalation', () => {
  const escalating = () => policy({ cooldownMs: 0, escalation: { afterMinutes: 5, recipientIds: ['boss'], groups: ['managers'] } });

  it('tells further people about an alerted incident still unacknowledged after N minutes, once', () => {
    const b = open([escalating()]);
    const incident = b.raise();
    b.feed(incident);
    b.clock.now = T0 + 5 * MIN - 1;
    expect(b.engine.due()).toEqual([]);
    b.clock.now = T0 + 5 * MIN;
    const plans = b.engine.due();
    expect(summary(plans)).toEqual(['send:escalation']);
    expect(plans[0]).toMatchObject({ audience: { channels: null, recipientIds: ['boss'], groups: ['managers'] }, subject: { incidentId: incident.id, state: 'new' } });
    b.clock.now = T0 + 20 * MIN;
    expect(b.engine.due()).toEqual([]);
  });

  it('does not escalate an incident someone took on, and survives a restart', () => {
    const b = open([escalating()]);
    const taken = b.raise();
    const waiting = b.raise({ camera: 'yard' });
    b.feed(taken);
    b.feed(waiting);
    b.clock.now = T0 + 2 * MIN;
    b.repo.act(taken.id, { action: 'start', who: 'ben' }, b.clock.now);
    expect(summary(b.feed(taken, { actor: 'ben' }))).toEqual(['send:update:handled']);
    // The engine restarts; the escalation timer is in the database, not in memory.
    const restarted = b.restart();
    b.clock.now = T0 + 6 * MIN;
    const plans = restarted.due();
    expect(plans.map((p) => p.subject?.incidentId)).toEqual([waiting.id]);
  });

  it('does not escalate one acknowledged outside the alert flow (the due time reads its state)', () => {
    const b = open([escalating()]);
    const incident = b.raise();
    b.feed(incident);
    b.repo.act(incident.id, { action: 'acknowledge', who: 'ana' }, T0 + MIN);
    b.clock.now = T0 + 10 * MIN;
    expect(b.engine.due()).toEqual([]);
  });
});

describe('digest', () => {
  it('sums up a burst held back by the cooldown in one digest when its window ends', () => {
    const b = open([policy({ cooldownMs: MIN, digestWindowMs: MIN })]);
    expect(summary(b.feed(b.raise()))).toEqual(['send:incident']);
    for (let i = 1; i <= 4; i++) {
      b.clock.now = T0 + i * 1000;
      expect(summary(b.feed(b.raise({ rule: i % 2 ? 'gate-zone' : 'gate-line' })))).toEqual(['suppress:ALERT_COOLDOWN']);
    }
    b.clock.now = T0 + 30_000;
    expect(b.engine.due()).toEqual([]);
    b.clock.now = T0 + 1000 + MIN;
    const [digest, ...rest] = b.engine.due();
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({ action: 'send', kind: 'digest', digest: { count: 4, cameraName: 'Gate 2', rules: ['Rule gate-zone', 'Rule gate-line'], since: T0 + 1000 } });
    if (digest?.action !== 'send' || !digest.digest) throw new Error('no digest');
    const text = renderAlert({ kind: 'digest', site: { name: 'Depot', timeZone: 'UTC' }, now: b.clock.now, subject: null, incident: null, digest: digest.digest });
    expect(text.title).toBe('4 more at Gate 2');
    expect(b.engine.due()).toEqual([]);
    // The digest counts as the camera's latest alert: the next one within a minute is held back again.
    b.clock.now += 10_000;
    expect(summary(b.feed(b.raise()))).toEqual(['suppress:ALERT_COOLDOWN']);
  });

  it('waits with a digest while the hour is full, and keeps counting', () => {
    const b = open([policy({ cooldownMs: MIN, maxPerHour: 1, digestWindowMs: MIN })]);
    b.feed(b.raise());
    b.clock.now = T0 + 1000;
    expect(summary(b.feed(b.raise()))).toEqual(['suppress:ALERT_COOLDOWN']);
    b.clock.now = T0 + 2 * MIN;
    expect(b.engine.due()).toEqual([]);
    expect(summary(b.feed(b.raise()))).toEqual(['suppress:ALERT_RATE_LIMITED']);
    b.clock.now = T0 + 61 * MIN;
    const plans = b.engine.due();
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ kind: 'digest', digest: { count: 2 } });
  });

  it('collects nothing when the policy has no digest window', () => {
    const b = open([policy({ cooldownMs: MIN, digestWindowMs: 0 })]);
    b.feed(b.raise());
    b.clock.now = T0 + 1000;
    expect(b.feed(b.raise())[0]).toMatchObject({ action: 'suppress', reason: 'ALERT_COOLDOWN', digested: false });
    b.clock.now = T0 + 10 * MIN;
    expect(b.engine.due()).toEqual([]);
  });
});
