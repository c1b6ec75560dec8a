// Decides, per incident event, which alerts to create. It never sends and never reads the
// clock itself (the clock is injected), so a test can walk it through an hour in a few lines.
// What it remembers between events lives in the policy book (SQLite), inside the caller's
// transaction: a decision and the outbox rows that carry it out commit together.
//
// Per policy and subject (an incident, or a camera down without a rule):
//   - the first sight of a new, ongoing subject is "raised": one alert, unless quiet hours,
//     the cooldown of its camera and rule type, or the policy's hourly maximum hold it back
//     (held-back ones are counted into a digest: "4 more at Gate 2");
//   - afterwards only changes worth a message: handled by an operator (acknowledged, started,
//     closed, false alarm: once), and a camera-offline condition over (the picture is back);
//     refreshes of an ongoing condition never make a message;
//   - an alerted incident still `new` after the escalation time goes to further people.
import type { AlertKind, AlertPolicy, AlertSettings, ChannelKind } from '../../../shared/alerts';
import type { IncidentState } from '../../../shared/incidents';
import type { AlertReason } from '../../../shared/reasons';
import type { Severity } from '../../../shared/rules';
import type { PolicyBook, SubjectRecord, ThrottleRecord } from './policy-book';
import { heldByQuietHours } from './quiet-hours';

export interface AlertSubject {
  /** The incident id, or `camera:<id>:<down since>` for a camera down without a rule. */
  key: string;
  incidentId: string | null;
  cameraId: string;
  cameraName: string;
  ruleId: string | null;
  ruleName: string;
  type: string;
  severity: Severity;
  state: IncidentState;
  startedAt: number;
  endedAt: number | null;
  /** Who last acted on it, for "acknowledged by ana". */
  actor: string | null;
  /** How the condition ended ('cleared': the camera's picture is back). */
  endReason: string | null;
}

/** Who hears of an alert: these channels (null: each recipient's own) and recipients. */
export interface Audience {
  channels: readonly ChannelKind[] | null;
  recipientIds: readonly string[];
  groups: readonly string[];
}

export interface DigestSummary {
  cameraId: string;
  cameraName: string;
  type: string;
  count: number;
  rules: string[];
  since: number;
  severity: Severity;
}

export type AlertPlan =
  | {
      action: 'send';
      kind: AlertKind;
      policy: AlertPolicy;
      /** Null for a digest, which is about several. */
      subject: AlertSubject | null;
      audience: Audience;
      /** Tells this alert apart from the subject's others in its idempotency key. */
      sequence: string;
      update?: 'handled' | 'back-online';
      digest?: DigestSummary;
    }
  | { action: 'suppress'; kind: AlertKind; policy: AlertPolicy; subject: AlertSubject; reason: AlertReason; digested: boolean };

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function policyCovers(policy: AlertPolicy, subject: Pick<AlertSubject, 'ruleId' | 'type' | 'cameraId' | 'severity'>): boolean {
  if (!policy.enabled) return false;
  if (policy.ruleIds.length > 0 && (subject.ruleId === null || !policy.ruleIds.includes(subject.ruleId))) return false;
  if (policy.ruleTypes.length > 0 && !(policy.ruleTypes as readonly string[]).includes(subject.type)) return false;
  if (policy.cameraIds.length > 0 && !policy.cameraIds.includes(subject.cameraId)) return false;
  return RANK[subject.severity] >= RANK[policy.minSeverity];
}

export function throttleKey(policyId: string, cameraId: string, type: string): string {
  return `${policyId}|${cameraId}|${type}`;
}

const audienceOf = (policy: AlertPolicy): Audience => ({ channels: policy.channels, recipientIds: policy.recipientIds, groups: policy.groups });
const raiseKind = (subject: AlertSubject): AlertKind => (subject.type === 'camera-offline' ? 'camera-offline' : 'incident');

export class PolicyEngine {
  constructor(
    private readonly book: PolicyBook,
    private readonly settings: () => AlertSettings,
    private readonly now: () => number,
  ) {}

  /**
   * An incident (or a camera down without a rule) was raised or changed. `recovered`: an
   * incident raised just before a crash, whose decision the crash prevented; it is raised
   * even though the restart has ended its condition.
   */
  onSubject(subject: AlertSubject, recovered = false): AlertPlan[] {
    const plans: AlertPlan[] = [];
    for (const policy of this.settings().policies) {
      if (!policyCovers(policy, subject)) continue;
      const record = this.book.subject(subject.key, policy.id);
      if (record) plans.push(...this.follow(policy, subject, record));
      // Seen for the first time: only a condition still new and ongoing is worth raising (one
      // already handled or over, first seen after a restart or a policy change, is not news).
      else if (subject.state === 'new' && (subject.endedAt === null || recovered)) plans.push(this.raise(policy, subject));
    }
    return plans;
  }

  /** Escalations and digests that are due now. */
  due(): AlertPlan[] {
    const now = this.now();
    const policies = new Map(this.settings().policies.map((p) => [p.id, p]));
    const plans: AlertPlan[] = [];
    for (const { record, incident } of this.book.dueEscalations(now)) {
      const policy = policies.get(record.policyId);
      this.book.putSubject({ ...record, escalateAt: null });
      if (!policy?.enabled || !policy.escalation || !incident || incident.state !== 'new') continue;
      const subject: AlertSubject = { key: record.subjectKey, incidentId: incident.id, cameraId: record.cameraId, cameraName: incident.cameraName, ruleId: incident.ruleId, ruleName: incident.ruleName, type: incident.type, severity: incident.severity, state: incident.state, startedAt: incident.startedAt, endedAt: incident.endedAt, actor: null, endReason: null };
      if (heldByQuietHours(policy.quietHours, subject.severity, now, this.settings().timeZone)) {
        plans.push({ action: 'suppress', kind: 'escalation', policy, subject, reason: 'ALERT_QUIET_HOURS', digested: false });
        continue;
      }
      // Escalations are few (one per alerted incident at most) and urgent: counted, never held back.
      this.book.count(policy.id, now);
      this.book.putSubject({ ...record, escalateAt: null, escalatedAt: now });
      plans.push({ action: 'send', kind: 'escalation', policy, subject, audience: { channels: null, recipientIds: policy.escalation.recipientIds, groups: policy.escalation.groups }, sequence: 'escalation' });
    }
    for (const throttle of this.book.dueDigests(now)) {
      const policy = policies.get(throttle.policyId);
      if (!policy?.enabled || throttle.digestCount === 0 || throttle.digestSince === null) {
        this.book.putThrottle({ ...throttle, ...NO_DIGEST });
        continue;
      }
      if (this.book.countLastHour(policy.id, now) >= policy.maxPerHour) {
        // The hour is full: the digest waits (and keeps counting) until it has room.
        this.book.putThrottle({ ...throttle, digestDueAt: this.book.hourFreesAt(policy.id, now) });
        continue;
      }
      this.book.count(policy.id, now);
      this.book.putThrottle({ ...throttle, ...NO_DIGEST, lastAlertAt: now });
      const digest: DigestSummary = { cameraId: throttle.cameraId, cameraName: throttle.cameraName, type: throttle.type, count: throttle.digestCount, rules: throttle.digestRules, since: throttle.digestSince, severity: throttle.digestSeverity ?? 'low' };
      plans.push({ action: 'send', kind: 'digest', policy, subject: null, audience: audienceOf(policy), sequence: `digest:${throttle.key}:${throttle.digestSince}`, digest });
    }
    return plans;
  }

  private raise(policy: AlertPolicy, subject: AlertSubject): AlertPlan {
    const now = this.now();
    const kind = raiseKind(subject);
    const record: SubjectRecord = {
      subjectKey: subject.key,
      policyId: policy.id,
      incidentId: subject.incidentId,
      cameraId: subject.cameraId,
      type: subject.type,
      alerted: false,
      suppressedReason: null,
      raisedAt: now,
      acknowledgedTold: false,
      endedTold: false,
      escalateAt: null,
      escalatedAt: null,
    };
    // Quiet hours are a choice not to be woken: what they hold back is not digested either.
    if (heldByQuietHours(policy.quietHours, subject.severity, now, this.settings().timeZone)) {
      this.book.putSubject({ ...record, suppressedReason: 'ALERT_QUIET_HOURS' });
      return { action: 'suppress', kind, policy, subject, reason: 'ALERT_QUIET_HOURS', digested: false };
    }
    const key = throttleKey(policy.id, subject.cameraId, subject.type);
    const throttle = this.book.throttle(key) ?? { key, policyId: policy.id, cameraId: subject.cameraId, cameraName: subject.cameraName, type: subject.type, lastAlertAt: null, ...NO_DIGEST };
    const reason: AlertReason | null =
      policy.cooldownMs > 0 && throttle.lastAlertAt !== null && now - throttle.lastAlertAt < policy.cooldownMs
        ? 'ALERT_COOLDOWN'
        : this.book.countLastHour(policy.id, now) >= policy.maxPerHour
          ? 'ALERT_RATE_LIMITED'
          : null;
    if (reason) {
      this.book.putSubject({ ...record, suppressedReason: reason });
      const digested = policy.digestWindowMs > 0;
      if (digested) this.book.putThrottle(addToDigest({ ...throttle, cameraName: subject.cameraName }, subject, now, policy.digestWindowMs));
      return { action: 'suppress', kind, policy, subject, reason, digested };
    }
    this.book.count(policy.id, now);
    this.book.putThrottle({ ...throttle, cameraName: subject.cameraName, lastAlertAt: now });
    // Only an incident can be acknowledged, so only an incident escalates.
    const escalateAt = policy.escalation && subject.incidentId ? now + policy.escalation.afterMinutes * 60_000 : null;
    this.book.putSubject({ ...record, alerted: true, escalateAt });
    return { action: 'send', kind, policy, subject, audience: audienceOf(policy), sequence: 'raised' };
  }

  private follow(policy: AlertPolicy, subject: AlertSubject, record: SubjectRecord): AlertPlan[] {
    const next = { ...record };
    const plans: AlertPlan[] = [];
    // Someone is on it: no escalation, and (once) the people alerted hear who took it.
    if (subject.state !== 'new') next.escalateAt = null;
    if (record.alerted && policy.updates && subject.state !== 'new' && !record.acknowledgedTold) {
      next.acknowledgedTold = true;
      plans.push({ action: 'send', kind: 'update', policy, subject, audience: audienceOf(policy), sequence: 'handled', update: 'handled' });
    }
    if (record.alerted && policy.updates && subject.type === 'camera-offline' && subject.endedAt !== null && subject.endReason === 'cleared' && !record.endedTold) {
      next.endedTold = true;
      plans.push({ action: 'send', kind: 'update', policy, subject, audience: audienceOf(policy), sequence: 'back-online', update: 'back-online' });
    }
    if (next.escalateAt !== record.escalateAt || next.acknowledgedTold !== record.acknowledgedTold || next.endedTold !== record.endedTold) this.book.putSubject(next);
    return plans;
  }
}

/** A throttle row with no digest pending. */
const NO_DIGEST: Pick<ThrottleRecord, 'digestCount' | 'digestSince' | 'digestDueAt' | 'digestRules' | 'digestSeverity'> = { digestCount: 0, digestSince: null, digestDueAt: null, digestRules: [], digestSeverity: null };

function addToDigest(throttle: ThrottleRecord, subject: AlertSubject, now: number, windowMs: number): ThrottleRecord {
  const rules = throttle.digestRules.includes(subject.ruleName) || throttle.digestRules.length >= 10 ? throttle.digestRules : [...throttle.digestRules, subject.ruleName];
  const severity = throttle.digestSeverity === null || RANK[subject.severity] > RANK[throttle.digestSeverity] ? subject.severity : throttle.digestSeverity;
  return {
    ...throttle,
    digestCount: throttle.digestCount + 1,
    digestSince: throttle.digestSince ?? now,
    digestDueAt: throttle.digestDueAt ?? now + windowMs,
    digestRules: rules,
    digestSeverity: severity,
  };
}
