// Words of the alert settings screen, and the delivery log's list updates. Pure, unit-tested.
import type { AlertBanner, AlertKind, AlertPolicy, ChannelKind, Delivery, DeliveryState, Recipient } from '../../../shared/alerts';
import type { Severity } from '../../../shared/rules';

export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  expired: 'Expired',
  suppressed: 'Held back',
};

export const KIND_LABELS: Record<AlertKind, string> = {
  incident: 'Incident',
  update: 'Update',
  escalation: 'Escalation',
  digest: 'Digest',
  'camera-offline': 'Camera offline',
  test: 'Test',
};

export const CHANNEL_LABELS: Record<ChannelKind, string> = { whatsapp: 'WhatsApp', webhook: 'Webhook', desktop: 'Desktop' };

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** 0 -> 'none', 45_000 -> '45 s', 120_000 -> '2 min', 5_400_000 -> '90 min'. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return 'none';
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Math.round(ms / 1000)} s`;
  return `${ms / 60_000} min`;
}

/** One line under a policy's name: what it covers and how it is throttled. */
export function policySummary(policy: AlertPolicy, recipients: readonly Recipient[]): string {
  const what = [
    policy.ruleTypes.length ? policy.ruleTypes.join(', ') : 'every rule type',
    policy.minSeverity === 'low' ? 'any severity' : `${policy.minSeverity} and up`,
    policy.cameraIds.length ? `${policy.cameraIds.length} camera${policy.cameraIds.length === 1 ? '' : 's'}` : 'all cameras',
  ];
  const named = recipients.filter((r) => policy.recipientIds.includes(r.id) || r.groups.some((g) => policy.groups.includes(g))).length;
  const how = [
    policy.channels.map((c) => CHANNEL_LABELS[c]).join(' + '),
    `${named} recipient${named === 1 ? '' : 's'}`,
    `cooldown ${formatDuration(policy.cooldownMs)}`,
    `max ${policy.maxPerHour}/h`,
  ];
  if (policy.quietHours) how.push(`quiet ${policy.quietHours.from}-${policy.quietHours.to}${policy.quietHours.criticalOverride ? ' (critical passes)' : ''}`);
  if (policy.escalation) how.push(`escalates after ${policy.escalation.afterMinutes} min`);
  return `${what.join(' · ')} → ${how.join(' · ')}`;
}

/** Whether a delivery belongs in a log filtered by state ('' for all). */
export function matchesFilter(delivery: Delivery, state: DeliveryState | ''): boolean {
  return state === '' || delivery.state === state;
}

/**
 * The delivery log after an `alert.delivery` event: a known row is replaced; a new one that
 * matches the filter goes on top (events arrive for new rows newest last). Capped at `max`.
 * A row older than the one shown is dropped: the answer to a test send (rows as queued) can
 * reach the page after the events of their delivery, over the WebSocket, did.
 */
export function upsertDelivery(list: readonly Delivery[], delivery: Delivery, state: DeliveryState | '', max = 500): Delivery[] {
  const index = list.findIndex((d) => d.id === delivery.id);
  if (index >= 0 && list[index]!.updatedAt > delivery.updatedAt) return list as Delivery[];
  if (index >= 0) {
    if (!matchesFilter(delivery, state)) return [...list.slice(0, index), ...list.slice(index + 1)];
    const next = list.slice();
    next[index] = delivery;
    return next;
  }
  if (!matchesFilter(delivery, state)) return list as Delivery[];
  return [delivery, ...list].slice(0, max);
}

/** Banners on screen: the newest first, at most `max`; the same alert never twice. */
export function addBanner(list: readonly AlertBanner[], banner: AlertBanner, max = 4): AlertBanner[] {
  return [banner, ...list.filter((b) => b.alertId !== banner.alertId)].slice(0, max);
}

/** Low and medium banners go by themselves after a while; high and critical stay until dismissed. */
export function bannerLifetimeMs(severity: Severity): number | null {
  return severity === 'high' || severity === 'critical' ? null : 20_000;
}

/** "a, b ,, c" -> ['a', 'b', 'c'] (groups, rule ids typed as a list). */
export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}
