// What the operator configures: the alert settings (site, time zone, policies, camera watch)
// and the recipients. Settings are one JSON value in the engine's settings table, parsed on
// load so that fields added by later versions get their defaults.
import { AlertSettingsSchema, type AlertSettings, type Recipient, type RecipientFields, type RecipientUpdate } from '../../../shared/alerts';
import { normalizeWhatsAppAddress } from '../../../shared/whatsapp';
import { EngineError } from '../engine-error';
import type { SecretBox } from '../secrets/secret-box';
import { SettingsRepo } from '../store/cameras-repo';
import type { Db } from '../store/database';
import type { AlertChannel } from './channel';
import { RecipientsRepo } from './recipients-repo';

const SETTINGS_KEY = 'alerts.settings';

/** The machine's own zone: what "22:00" means to the people who set this workstation up. */
function machineTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export class AlertConfig {
  readonly recipients: RecipientsRepo;
  private readonly store: SettingsRepo;
  private current: AlertSettings;

  constructor(
    db: Db,
    box: SecretBox,
    private readonly channel: (kind: 'whatsapp' | 'webhook') => AlertChannel | undefined,
    private readonly log: (line: string) => void,
    now: () => number = Date.now,
  ) {
    this.recipients = new RecipientsRepo(db, box, now);
    this.store = new SettingsRepo(db);
    this.current = this.load();
  }

  settings(): AlertSettings {
    return this.current;
  }

  /** Replaces the settings (already validated by AlertSettingsSchema); every recipient a policy names must exist. */
  putSettings(settings: AlertSettings): AlertSettings {
    const known = new Set(this.recipients.list().map((r) => r.id));
    const issues: { path: string; code: string; message: string }[] = [];
    settings.policies.forEach((policy, index) => {
      policy.recipientIds.forEach((id, at) => !known.has(id) && issues.push({ path: `policies.${index}.recipientIds.${at}`, code: 'ALERT_POLICY_INVALID', message: `no recipient with id ${id}` }));
      policy.escalation?.recipientIds.forEach((id, at) => !known.has(id) && issues.push({ path: `policies.${index}.escalation.recipientIds.${at}`, code: 'ALERT_POLICY_INVALID', message: `no recipient with id ${id}` }));
    });
    if (issues.length) throw new EngineError('ALERT_POLICY_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), 400, issues);
    this.store.set(SETTINGS_KEY, settings);
    this.current = settings;
    return settings;
  }

  /** A new recipient; a WhatsApp number is checked on WhatsApp first when the channel can. */
  async createRecipient(input: RecipientFields): Promise<Recipient> {
    const address = await this.checkedAddress(input.channel, input.address);
    return this.recipients.create({ ...input, address, secret: input.secret ?? null });
  }

  async updateRecipient(id: string, changes: RecipientUpdate): Promise<Recipient> {
    const current = this.recipients.require(id);
    if (changes.secret && current.channel !== 'webhook') throw new EngineError('VALIDATION_FAILED', 'secret: a signing secret is for webhooks only', 400);
    const address = changes.address !== undefined && changes.address !== current.address ? await this.checkedAddress(current.channel, changes.address) : undefined;
    return this.recipients.update(id, { ...changes, ...(address !== undefined ? { address } : {}) });
  }

  deleteRecipient(id: string): void {
    this.recipients.require(id);
    const users = this.current.policies.filter((p) => p.recipientIds.includes(id) || p.escalation?.recipientIds.includes(id)).map((p) => p.name);
    if (users.length) throw new EngineError('ALERT_RECIPIENT_IN_USE', `Policies still name this recipient: ${users.join(', ')}. Remove it from them first.`, 409);
    this.recipients.delete(id);
  }

  private async checkedAddress(channel: 'whatsapp' | 'webhook', address: string): Promise<string> {
    if (channel === 'webhook') return address;
    const whatsapp = this.channel('whatsapp');
    if (whatsapp?.checkAddress) {
      const checked = await whatsapp.checkAddress(address);
      if (!checked.ok) throw new EngineError(checked.reason, checked.message, 400);
      return checked.address;
    }
    // No channel to ask (not set up here): the schema's own rule gives the JID.
    const normalized = normalizeWhatsAppAddress(address);
    if (!normalized.ok) throw new EngineError(normalized.reason, normalized.message, 400);
    return normalized.jid;
  }

  private load(): AlertSettings {
    const stored = this.store.get<unknown>(SETTINGS_KEY);
    const parsed = AlertSettingsSchema.safeParse(stored ?? { timeZone: machineTimeZone() });
    if (parsed.success) return parsed.data;
    // A value this version cannot read (hand-edited, or a downgrade) must not stop the engine.
    this.log(`alerts: stored alert settings are not valid (${parsed.error.issues[0]?.message ?? 'unknown'}); using defaults until they are saved again`);
    return AlertSettingsSchema.parse({});
  }
}
