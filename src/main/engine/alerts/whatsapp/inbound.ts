// What comes back from WhatsApp, read from Baileys' events: operators' replies (the alerts
// service parses `ACK <id>` and checks who may acknowledge), delivery receipts, and error
// acks for messages we sent. Pure functions over event payloads.
import type { BaileysEventMap, WAMessage, WAMessageKey } from '@whiskeysockets/baileys';

export interface ReplyIn {
  from: string;
  text: string;
  quotedProviderId: string | null;
  at: number;
}

/** proto.WebMessageInfo.Status: ERROR 0, PENDING 1, SERVER_ACK 2, DELIVERY_ACK 3, READ 4, PLAYED 5. */
const STATUS_ERROR = 0;
const STATUS_DELIVERY_ACK = 3;

/** New messages from other people (type notify: received live, not history). */
export function repliesFrom(upsert: BaileysEventMap['messages.upsert'], now: number): ReplyIn[] {
  if (upsert.type !== 'notify') return [];
  const replies: ReplyIn[] = [];
  for (const message of upsert.messages) {
    const reply = replyFrom(message, now);
    if (reply) replies.push(reply);
  }
  return replies;
}

function replyFrom(message: WAMessage, now: number): ReplyIn | null {
  const key = message.key;
  if (!key || key.fromMe || !key.remoteJid || key.remoteJid === 'status@broadcast' || key.remoteJid.endsWith('@newsletter')) return null;
  // Disappearing-message chats wrap the content once more.
  const content = message.message?.ephemeralMessage?.message ?? message.message;
  const text = content?.conversation ?? content?.extendedTextMessage?.text;
  if (typeof text !== 'string' || text.trim() === '') return null;
  const from = senderJid(key);
  if (!from) return null;
  return {
    from,
    text,
    quotedProviderId: content?.extendedTextMessage?.contextInfo?.stanzaId ?? null,
    at: timestampMs(message.messageTimestamp) ?? now,
  };
}

/**
 * The person who wrote: the participant in a group, the chat otherwise. WhatsApp now often
 * names people by an anonymous LID (`…@lid`) and gives the phone-number JID as the `Alt`;
 * the phone number is what operators are authorised by, so it wins. Device suffixes go.
 */
export function senderJid(key: WAMessageKey): string | null {
  const group = key.remoteJid?.endsWith('@g.us') ?? false;
  const candidates = group ? [key.participant, key.participantAlt] : [key.remoteJid, key.remoteJidAlt];
  const present = candidates.filter((jid): jid is string => typeof jid === 'string' && jid.length > 0);
  const chosen = present.find((jid) => jid.endsWith('@s.whatsapp.net')) ?? present[0];
  if (!chosen) return null;
  const at = chosen.indexOf('@');
  return `${chosen.slice(0, at).split(':')[0]}${chosen.slice(at)}`;
}

function timestampMs(value: WAMessage['messageTimestamp']): number | null {
  // protobuf gives a number or a Long.
  const seconds = typeof value === 'number' ? value : typeof value?.toNumber === 'function' ? value.toNumber() : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** Ids of our messages that reached a device (delivered, read or played). */
export function deliveredIds(events: Partial<BaileysEventMap>): string[] {
  const ids: string[] = [];
  for (const { key, update } of events['messages.update'] ?? []) {
    if (key.fromMe && key.id && typeof update.status === 'number' && update.status >= STATUS_DELIVERY_ACK) ids.push(key.id);
  }
  // Groups report per member; the first member's device is enough to call it delivered.
  for (const { key, receipt } of events['message-receipt.update'] ?? []) {
    if (key.id && (receipt.receiptTimestamp || receipt.readTimestamp || receipt.playedTimestamp)) ids.push(key.id);
  }
  return ids;
}

/** Our messages WhatsApp refused after accepting them for sending, with its error code ('463', '429', ...). */
export function ackErrors(events: Partial<BaileysEventMap>): { id: string; code: string }[] {
  const errors: { id: string; code: string }[] = [];
  for (const { key, update } of events['messages.update'] ?? []) {
    if (key.fromMe && key.id && update.status === STATUS_ERROR) errors.push({ id: key.id, code: String(update.messageStubParameters?.[0] ?? 'unknown') });
  }
  return errors;
}
