// A policy as the editor's fields hold it (texts and flags), and back to the contract's shape
// with the schema's own checks, each problem placed on its field. Pure, unit-tested.
import { AlertPolicySchema, type AlertPolicy, type AlertPolicyInput, type ChannelKind } from '../../../shared/alerts';
import type { RuleType, Severity } from '../../../shared/rules';
import { splitList } from './format';

export interface PolicyDraft {
  id: string;
  name: string;
  enabled: boolean;
  ruleTypes: RuleType[];
  ruleIds: string;
  cameraIds: string[];
  minSeverity: Severity;
  channels: ChannelKind[];
  recipientIds: string[];
  groups: string;
  cooldownSeconds: string;
  maxPerHour: string;
  digestSeconds: string;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
  criticalOverride: boolean;
  escalate: boolean;
  escalateMinutes: string;
  escalateRecipientIds: string[];
  escalateGroups: string;
  updates: boolean;
}

export type DraftProblems = Partial<Record<keyof PolicyDraft | 'form', string>>;

export function toDraft(p: AlertPolicy): PolicyDraft {
  return {
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    ruleTypes: [...p.ruleTypes],
    ruleIds: p.ruleIds.join(', '),
    cameraIds: [...p.cameraIds],
    minSeverity: p.minSeverity,
    channels: [...p.channels],
    recipientIds: [...p.recipientIds],
    groups: p.groups.join(', '),
    cooldownSeconds: String(p.cooldownMs / 1000),
    maxPerHour: String(p.maxPerHour),
    digestSeconds: String(p.digestWindowMs / 1000),
    quiet: p.quietHours !== null,
    quietFrom: p.quietHours?.from ?? '22:00',
    quietTo: p.quietHours?.to ?? '06:00',
    criticalOverride: p.quietHours?.criticalOverride ?? true,
    escalate: p.escalation !== null,
    escalateMinutes: String(p.escalation?.afterMinutes ?? 5),
    escalateRecipientIds: [...(p.escalation?.recipientIds ?? [])],
    escalateGroups: (p.escalation?.groups ?? []).join(', '),
    updates: p.updates,
  };
}

/** A fresh policy with the defaults the issue asks for: one alert per minute per camera and type. */
export function newDraft(existingIds: readonly string[]): PolicyDraft {
  let n = existingIds.length + 1;
  while (existingIds.includes(`policy-${n}`)) n++;
  return toDraft(AlertPolicySchema.parse({ id: `policy-${n}`, name: `Policy ${n}`, channels: ['desktop'] }));
}

const FIELD_OF: Record<string, keyof PolicyDraft> = {
  name: 'name',
  ruleIds: 'ruleIds',
  channels: 'channels',
  groups: 'groups',
  cooldownMs: 'cooldownSeconds',
  maxPerHour: 'maxPerHour',
  digestWindowMs: 'digestSeconds',
  quietHours: 'quietTo',
  escalation: 'escalateMinutes',
};

function number(text: string, scale: number): number {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? NaN : Math.round(value * scale);
}

/** The policy, or what is wrong with the draft field by field. */
export function fromDraft(d: PolicyDraft): { policy: AlertPolicyInput; problems: null } | { policy: null; problems: DraftProblems } {
  const input: AlertPolicyInput = {
    id: d.id,
    name: d.name,
    enabled: d.enabled,
    ruleTypes: d.ruleTypes,
    ruleIds: splitList(d.ruleIds),
    cameraIds: d.cameraIds,
    minSeverity: d.minSeverity,
    channels: d.channels,
    recipientIds: d.recipientIds,
    groups: splitList(d.groups),
    cooldownMs: number(d.cooldownSeconds, 1000),
    maxPerHour: number(d.maxPerHour, 1),
    digestWindowMs: number(d.digestSeconds, 1000),
    quietHours: d.quiet ? { from: d.quietFrom, to: d.quietTo, criticalOverride: d.criticalOverride } : null,
    escalation: d.escalate ? { afterMinutes: number(d.escalateMinutes, 1), recipientIds: d.escalateRecipientIds, groups: splitList(d.escalateGroups) } : null,
    updates: d.updates,
  };
  const parsed = AlertPolicySchema.safeParse(input);
  if (parsed.success) return { policy: input, problems: null };
  const problems: DraftProblems = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[String(issue.path[0])] ?? 'form';
    const message = issue.code === 'invalid_type' && /number/.test(issue.message) ? 'a number' : issue.message;
    problems[field] ??= message;
  }
  return { policy: null, problems };
}
