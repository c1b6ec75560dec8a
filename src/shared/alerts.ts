// Alerts: how incidents reach people who are not looking at the screen. This file holds the
// types both sides of the API share: channels, recipients, policies, the alert settings and
// the delivery log (the outbox as the settings screen shows it). The WhatsApp channel uses
// only ChannelKind and ChannelStatus.
import { z } from 'zod';
import type { AlertReason } from './reasons';
import { clockMinutes, SeveritySchema, TimeZoneSchema, type RuleType, type Severity } from './rules';
import { normalizeWhatsAppAddress } from './whatsapp';

export type ChannelKind = 'whatsapp' | 'webhook' | 'desktop';
export const CHANNEL_KINDS = ['whatsapp', 'webhook', 'desktop'] as const satisfies readonly ChannelKind[];
export const ChannelKindSchema = z.enum(CHANNEL_KINDS);

/**
 * A channel as the settings screen shows it. `ready`: can send now; `needs-link`: WhatsApp
 * has no linked device (show the QR or pairing code); `connecting`: (re)connecting with
 * backoff; `disconnected`: stopped, `reason` says why and what to do; `disabled`: off.
 */
export interface ChannelStatus {
  kind: ChannelKind;
  state: 'ready' | 'connecting' | 'needs-link' | 'disconnected' | 'disabled';
  reason: AlertReason | null;
  message: string | null;
  /** WhatsApp: the linked number (digits only) and the pending QR payload or pairing code. */
  linkedAs?: string | null;
  qr?: string | null;
  pairingCode?: string | null;
  /** When the state last changed (ms). */
  since: number;
}

// ----- recipients ----------------------------------------------------------------------

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_", 1-64 of them');
const name = z.string().trim().min(1).max(80);
/** A group of recipients ("night shift", "managers"): policies may name a group instead of people. */
const group = z.string().trim().min(1).max(40);
const groups = z
  .array(group)
  .max(20)
  .refine((list) => new Set(list).size === list.length, 'groups repeat');

/** Channels a recipient can be added for; the desktop channel needs none (it is this workstation). */
export const RecipientChannelSchema = z.enum(['whatsapp', 'webhook']);

/**
 * A webhook address: http or https, with a host and without credentials in the URL (a
 * signing secret is the way to authenticate, and URLs end up in logs).
 */
export function webhookUrlProblem(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http:// and https:// addresses are allowed';
  if (!url.hostname) return 'the URL has no host';
  if (url.username || url.password) return 'put no user name or password in the URL: use a signing secret instead';
  return null;
}

const secret = z.string().min(16, 'at least 16 characters').max(256);

const recipientFields = {
  channel: RecipientChannelSchema,
  /** WhatsApp: a phone number or JID; webhook: an http(s) URL. */
  address: z.string().trim().min(1).max(2048),
  name,
  groups: groups.default([]),
  /** May acknowledge incidents by replying `ACK <id>` (WhatsApp). */
  mayAcknowledge: z.boolean().default(false),
  enabled: z.boolean().default(true),
  /** Webhook only: the HMAC-SHA256 signing secret. Stored sealed, never returned; null removes it. */
  secret: secret.nullable().optional(),
};

function checkAddress(value: { channel?: 'whatsapp' | 'webhook'; address?: string; secret?: string | null }, ctx: z.RefinementCtx): void {
  if (value.address !== undefined && value.channel === 'webhook' && webhookUrlProblem(value.address)) {
    ctx.addIssue({ code: 'custom', message: 'ALERT_WEBHOOK_URL_INVALID', path: ['address'] });
  }
  // The WhatsApp channel's own rule (country code required, never guessed).
  if (value.address !== undefined && value.channel === 'whatsapp' && !normalizeWhatsAppAddress(value.address).ok) {
    ctx.addIssue({ code: 'custom', message: 'WHATSAPP_NUMBER_INVALID', path: ['address'] });
  }
  if (value.channel === 'whatsapp' && value.secret) ctx.addIssue({ code: 'custom', message: 'a signing secret is for webhooks only', path: ['secret'] });
}

/** POST /api/alerts/recipients. */
export const RecipientCreateSchema = z.strictObject(recipientFields).superRefine(checkAddress);
export type RecipientCreate = z.input<typeof RecipientCreateSchema>;
/** A new recipient as the engine stores it: the create body, defaults applied. */
export type RecipientFields = z.output<typeof RecipientCreateSchema>;

/** PATCH /api/alerts/recipients/:id: any field but the channel. */
export const RecipientUpdateSchema = z.strictObject({
  address: recipientFields.address.optional(),
  name: name.optional(),
  groups: groups.optional(),
  mayAcknowledge: z.boolean().optional(),
  enabled: z.boolean().optional(),
  secret: secret.nullable().optional(),
});
export type RecipientUpdate = z.infer<typeof RecipientUpdateSchema>;

export interface Recipient {
  id: string;
  channel: 'whatsapp' | 'webhook';
  /** Normalized: a JID for WhatsApp, the URL for a webhook. */
  address: string;
  name: string;
  groups: string[];
  mayAcknowledge: boolean;
  enabled: boolean;
  /** Whether a signing secret is set (the secret itself never leaves the engine). */
  hasSecret: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The desktop channel's one recipient: this workstation (and every browser showing it). */
export const DESKTOP_RECIPIENT_ID = 'desktop';

// ----- policies ------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');

export const RuleTypeSchema = z.enum(['presence', 'loitering', 'line-crossing', 'count', 'camera-offline', 'classifier']);
// The rules contract is the source of rule types: this list must name every one of them.
const _ruleTypesComplete: RuleType extends z.infer<typeof RuleTypeSchema> ? true : never = true;
void _ruleTypesComplete;

/**
 * A daily window, in the site's time zone, in which alerts are held back. When `to` is
 * earlier than `from` it runs past midnight (22:00-06:00). `criticalOverride`: critical
 * alerts go out all the same.
 */
export const QuietHoursSchema = z
  .strictObject({ from: clockTime, to: clockTime, criticalOverride: z.boolean().default(true) })
  .refine((q) => clockMinutes(q.from) !== clockMinutes(q.to), { message: 'from and to are the same time', path: ['to'] });
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** When an alerted incident is still unacknowledged after `afterMinutes`, tell these people too. */
export const EscalationSchema = z
  .strictObject({
    afterMinutes: z.number().int().min(1).max(24 * 60),
    recipientIds: z.array(id).max(100).default([]),
    groups: groups.default([]),
  })
  .refine((e) => e.recipientIds.length + e.groups.length > 0, { message: 'name at least one recipient or group to escalate to', path: ['recipientIds'] });
export type Escalation = z.infer<typeof EscalationSchema>;

/**
 * Which incidents a policy covers and who hears of them, how. An incident matches when its
 * rule is listed (or none is), its rule type is listed (or none is), its camera is listed
 * (or none is) and its severity is at least `minSeverity`. It goes to the listed recipients
 * and groups on the listed channels (desktop needs no recipient).
 */
export const AlertPolicySchema = z.strictObject({
  id,
  name,
  enabled: z.boolean().default(true),
  ruleIds: z.array(id).max(200).default([]),
  ruleTypes: z.array(RuleTypeSchema).max(6).default([]),
  cameraIds: z.array(id).max(100).default([]),
  minSeverity: SeveritySchema.default('low'),
  channels: z.array(ChannelKindSchema).min(1).max(3),
  recipientIds: z.array(id).max(100).default([]),
  groups: groups.default([]),
  /** At most one alert per camera and rule type within this time; the rest go into a digest. 0: none. */
  cooldownMs: z.number().int().min(0).max(DAY_MS).default(60_000),
  /** At most this many alerts (incidents, escalations, digests) an hour for this policy. */
  maxPerHour: z.number().int().min(1).max(10_000).default(30),
  /** How long held-back alerts are collected before one digest ("4 more at Gate 2") goes out. 0: no digest. */
  digestWindowMs: z.number().int().min(0).max(DAY_MS).default(60_000),
  quietHours: QuietHoursSchema.nullable().default(null),
  escalation: EscalationSchema.nullable().default(null),
  /** Tell the same people when the incident is acknowledged, and when an offline camera is back. */
  updates: z.boolean().default(true),
});
export type AlertPolicy = z.infer<typeof AlertPolicySchema>;
export type AlertPolicyInput = z.input<typeof AlertPolicySchema>;

/**
 * Cameras that have no camera-offline rule are still watched: down for `afterMs`, they raise
 * a camera-offline alert (no incident) through the policies that cover camera-offline.
 */
export const CameraOfflineAlertsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  afterMs: z.number().int().min(10_000).max(DAY_MS).default(120_000),
  severity: SeveritySchema.default('high'),
});

export const AlertSettingsSchema = z
  .strictObject({
    /** Named in every message, so a person on several sites knows which one calls. */
    siteName: name.default('Vigil site'),
    /** Local time in messages and quiet hours are read in this zone. */
    timeZone: TimeZoneSchema.default('UTC'),
    cameraOffline: CameraOfflineAlertsSchema.default({ enabled: true, afterMs: 120_000, severity: 'high' }),
    policies: z.array(AlertPolicySchema).max(100).default([]),
  })
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.policies.forEach((policy, index) => {
      if (seen.has(policy.id)) ctx.addIssue({ code: 'custom', message: `policy id ${policy.id} repeats`, path: ['policies', index, 'id'] });
      seen.add(policy.id);
    });
  });
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;
export type AlertSettingsInput = z.input<typeof AlertSettingsSchema>;

// ----- deliveries (the outbox) ---------------------------------------------------------

/** What an alert is about: an incident raised, an update of it, an escalation, a digest… */
export type AlertKind = 'incident' | 'update' | 'escalation' | 'digest' | 'camera-offline' | 'test';
export const ALERT_KINDS = ['incident', 'update', 'escalation', 'digest', 'camera-offline', 'test'] as const satisfies readonly AlertKind[];

/**
 * queued -> sending -> sent (accepted) -> delivered (reached the person or endpoint);
 * failed: rejected, never retried; expired: not sent in time; suppressed: the policy held it
 * back (cooldown, maximum per hour, quiet hours) and it was never queued.
 */
export type DeliveryState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'expired' | 'suppressed';
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'suppressed'] as const satisfies readonly DeliveryState[];

/** One row of the delivery log: one alert to one recipient on one channel. */
export interface Delivery {
  id: string;
  /** Sent with every attempt; the same across retries and restarts. */
  idempotencyKey: string;
  incidentId: string | null;
  policyId: string | null;
  cameraId: string | null;
  kind: AlertKind;
  severity: Severity;
  title: string;
  /** Null for a suppressed alert, which went to nobody. */
  channel: ChannelKind | null;
  recipientId: string | null;
  recipientName: string | null;
  state: DeliveryState;
  attempts: number;
  /** When the next try is due (queued only). */
  nextAttemptAt: number | null;
  /** Not sent by then: expired. */
  expiresAt: number;
  reason: AlertReason | null;
  /** What the channel or policy said, for the operator. */
  message: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
}

/** Query of GET /api/alerts/deliveries: newest first, `before` is the `next` of the previous page. */
export const DeliveryQuerySchema = z.strictObject({
  state: z.enum(DELIVERY_STATES).optional(),
  channel: ChannelKindSchema.optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  incident: z.string().min(1).max(64).optional(),
  recipient: z.string().min(1).max(64).optional(),
  before: z.string().regex(/^\d{1,16}:[A-Za-z0-9-]{1,64}$/, 'the `next` of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeliveryQuery = z.infer<typeof DeliveryQuerySchema>;

export interface DeliveryPage {
  deliveries: Delivery[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: string | null;
}

/** POST /api/alerts/test: a test alert to these recipients (all enabled ones when absent) and channels. */
export const TestSendSchema = z.strictObject({
  recipientIds: z.array(id).min(1).max(100).optional(),
  channels: z.array(ChannelKindSchema).min(1).max(3).optional(),
});
export type TestSend = z.infer<typeof TestSendSchema>;

/** The in-app banner of the desktop channel (`alert.banner` event). */
export interface AlertBanner {
  alertId: string;
  incidentId: string | null;
  kind: AlertKind;
  severity: Severity;
  title: string;
  text: string;
  at: number;
}
