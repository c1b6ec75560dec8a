// Sending and number checks on the session's connection: one serialized queue with spacing,
// text or a snapshot with caption, and WhatsApp's verdict mapped to what the outbox needs
// (a rate limit or a refusal is never retried; a lost connection is).
import { readFile } from 'node:fs/promises';
import type { AnyMessageContent } from '@whiskeysockets/baileys';
import { ALERT_REASONS, type AlertReason } from '../../../../shared/reasons';
import { normalizeWhatsAppAddress } from '../../../../shared/whatsapp';
import type { SendOutcome } from '../channel';
import type { Clock } from './clock';
import { statusCodeOf, whatsappErrorCode } from './disconnect-policy';
import { AckBook, RATE_LIMIT_CODES, rateLimited, sendFailure } from './outbound';
import { SendQueue, type SendSpacing } from './send-queue';
import type { WaSocket } from './socket-port';

export interface SendRequest {
  jid: string;
  text: string;
  /** A JPEG snapshot sent with `text` as its caption; text only when absent or unreadable. */
  imagePath: string | null;
  messageId: string;
}

export type CheckResult = { ok: true; address: string } | { ok: false; reason: AlertReason; message: string };
type Failure = Extract<SendOutcome, { ok: false }>;

/** What the messenger needs to know about the connection it sends on. */
export interface MessengerLink {
  /** The socket while connected; null otherwise. */
  socket(): WaSocket | null;
  /** Why nothing can go out now. */
  notReady(): Failure;
  restrictedUntil(): number;
  /** WhatsApp said 429/463: pause sending (until the given time, or the default pause). */
  restrict(until: number | null): void;
}

export interface MessengerOptions {
  spacing: SendSpacing;
  ackWindowMs: number;
  clock: Clock;
  random: () => number;
  readImage?(path: string): Promise<Buffer | null>;
}

export class Messenger {
  private readonly queue: SendQueue;
  readonly acks: AckBook;

  constructor(
    private readonly link: MessengerLink,
    private readonly options: MessengerOptions,
  ) {
    this.queue = new SendQueue(options.spacing, options.clock, options.random);
    this.acks = new AckBook(options.clock);
  }

  send(request: SendRequest, signal?: AbortSignal): Promise<SendOutcome> {
    const cancelled = (): SendOutcome => ({ ok: false, retry: true, reason: 'WHATSAPP_SEND_CANCELLED', message: ALERT_REASONS.WHATSAPP_SEND_CANCELLED });
    return this.queue.run(() => this.sendNow(request), cancelled, signal);
  }

  async check(address: string): Promise<CheckResult> {
    const parsed = normalizeWhatsAppAddress(address);
    if (!parsed.ok) return { ok: false, reason: parsed.reason, message: parsed.message };
    const socket = this.link.socket();
    if (!socket) return this.link.notReady();
    try {
      if (parsed.kind === 'group') {
        await socket.groupMetadata(parsed.jid);
        return { ok: true, address: parsed.jid };
      }
      const found = (await socket.onWhatsApp(parsed.jid))?.find((entry) => entry.exists);
      // WhatsApp may answer with another form of the number (e.g. Brazil's ninth digit): store its form.
      if (found) return { ok: true, address: found.jid.replace(/:\d+@/, '@') };
      return { ok: false, reason: 'WHATSAPP_NUMBER_NOT_ON_WHATSAPP', message: `${ALERT_REASONS.WHATSAPP_NUMBER_NOT_ON_WHATSAPP} (+${parsed.digits})` };
    } catch (error) {
      const code = whatsappErrorCode(error) ?? statusCodeOf(error);
      if (parsed.kind === 'group' && (code === 403 || code === 404 || /item-not-found|forbidden|not-authorized/i.test((error as Error).message))) {
        return { ok: false, reason: 'WHATSAPP_GROUP_NOT_FOUND', message: ALERT_REASONS.WHATSAPP_GROUP_NOT_FOUND };
      }
      const failure = sendFailure(error);
      return { ok: false, reason: failure.reason, message: failure.message };
    }
  }

  private async sendNow(request: SendRequest): Promise<SendOutcome> {
    const until = this.link.restrictedUntil();
    if (until > this.options.clock.now()) return rateLimited(`restricted until ${new Date(until).toISOString()}`);
    const socket = this.link.socket();
    if (!socket) return this.link.notReady();
    const image = request.imagePath ? await (this.options.readImage ?? readImage)(request.imagePath) : null;
    // No link previews: Baileys would fetch any URL in the text from this workstation.
    const content: AnyMessageContent = image ? { image, caption: request.text, mimetype: 'image/jpeg' } : { text: request.text, linkPreview: null };
    let id: string;
    try {
      id = (await socket.sendMessage(request.jid, content, { messageId: request.messageId }))?.key.id ?? request.messageId;
    } catch (error) {
      const failure = sendFailure(error);
      if (failure.reason === 'WHATSAPP_RATE_LIMITED') this.link.restrict(null);
      return failure;
    }
    // A restricted number learns it only from the ack (463); within the spacing, so it costs no throughput.
    const verdict = await this.acks.wait(id, this.options.ackWindowMs);
    if (verdict?.kind === 'error') {
      if (RATE_LIMIT_CODES.has(Number(verdict.code))) {
        this.link.restrict(null);
        return rateLimited(`WhatsApp error ${verdict.code}`);
      }
      return { ok: false, retry: false, reason: 'WHATSAPP_SEND_FAILED', message: `${ALERT_REASONS.WHATSAPP_SEND_FAILED} (WhatsApp error ${verdict.code})` };
    }
    return { ok: true, delivered: verdict?.kind === 'delivered', providerId: id };
  }
}

async function readImage(path: string): Promise<Buffer | null> {
  return readFile(path).catch(() => null);
}
