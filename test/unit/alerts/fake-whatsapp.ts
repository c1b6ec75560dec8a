// WhatsApp's servers cannot be reached from a test, so this stands in for the WhatsApp channel
// at the AlertChannel interface: it accepts sends (returning provider message ids the way the
// real channel does), checks numbers, and lets the test deliver an operator's reply.
import { EventEmitter } from 'node:events';
import type { AlertChannel, AlertMessage, AlertRecipient, ChannelEvents, SendOutcome } from '../../../src/main/engine/alerts/channel';
import type { ChannelStatus } from '../../../src/shared/alerts';
import { normalizeWhatsAppAddress } from '../../../src/shared/whatsapp';

export class FakeWhatsApp extends EventEmitter<ChannelEvents> implements AlertChannel {
  readonly kind = 'whatsapp' as const;
  state: ChannelStatus['state'] = 'ready';
  readonly sent: { message: AlertMessage; recipient: AlertRecipient; providerId: string }[] = [];
  /** Numbers (digits) that have no WhatsApp account. */
  readonly notOnWhatsApp = new Set<string>();

  status(): ChannelStatus {
    return { kind: 'whatsapp', state: this.state, reason: this.state === 'ready' ? null : 'WHATSAPP_NOT_LINKED', message: null, linkedAs: '441234567890', since: 0 };
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async send(message: AlertMessage, recipient: AlertRecipient): Promise<SendOutcome> {
    const providerId = `3EB0${String(this.sent.length + 1).padStart(8, '0')}`;
    this.sent.push({ message, recipient, providerId });
    return { ok: true, delivered: false, providerId };
  }

  async checkAddress(address: string) {
    const normalized = normalizeWhatsAppAddress(address);
    if (!normalized.ok) return { ok: false as const, reason: normalized.reason, message: normalized.message };
    if (normalized.kind === 'person' && this.notOnWhatsApp.has(normalized.digits)) return { ok: false as const, reason: 'WHATSAPP_NUMBER_NOT_ON_WHATSAPP' as const, message: 'This number has no WhatsApp account.' };
    return { ok: true as const, address: normalized.jid };
  }

  /** An operator's message arriving, as the real channel reports it. */
  reply(from: string, text: string, quotedProviderId: string | null = null): void {
    this.emit('reply', { channel: 'whatsapp', from, text, quotedProviderId, at: Date.now() });
  }

  /** A delivery receipt for an earlier message. */
  receipt(providerId: string): void {
    this.emit('delivered', { providerId, at: Date.now() });
  }
}
