// WhatsApp channel: the requests of the settings screen (link, unlink, number check) and the
// one rule for turning what an operator types into a WhatsApp address (JID). Shared so that
// the form can say "add the country code" before the engine is even asked.
import { z } from 'zod';
import { ALERT_REASONS } from './reasons';

export type WhatsAppAddress =
  | { ok: true; kind: 'person'; digits: string; jid: string }
  | { ok: true; kind: 'group'; jid: string }
  | { ok: false; reason: 'WHATSAPP_NUMBER_INVALID'; message: string };

/** E.164 allows at most 15 digits including the country code; the shortest real ones have 7. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

/**
 * Accepts `+49 171 1234567`, `0049 171-1234567`, `491711234567`, a person's JID
 * (`491711234567@s.whatsapp.net`, device suffix dropped) or a group JID (`…@g.us`).
 * The country code is required and never guessed: the workstation's locale says nothing
 * about where the guard's phone was bought, and a wrong guess would alert a stranger. So a
 * number with a national trunk prefix (a single leading 0) is refused rather than rewritten.
 */
export function normalizeWhatsAppAddress(input: string): WhatsAppAddress {
  const text = input.trim();
  const invalid = (detail: string): WhatsAppAddress => ({ ok: false, reason: 'WHATSAPP_NUMBER_INVALID', message: `${ALERT_REASONS.WHATSAPP_NUMBER_INVALID} ${detail}` });
  if (text.endsWith('@g.us')) {
    return /^\d{5,32}(-\d{5,16})?@g\.us$/.test(text) ? { ok: true, kind: 'group', jid: text } : invalid('This is not a WhatsApp group id.');
  }
  let digits: string;
  const jid = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/.exec(text);
  if (jid) digits = jid[1]!;
  else if (text.includes('@')) return invalid('Only phone numbers and group ids can receive alerts.');
  else {
    const compact = text.replace(/[\s().\-/]/g, '');
    if (!/^(\+|00)?\d+$/.test(compact)) return invalid('Use digits only, optionally starting with + or 00.');
    if (compact.startsWith('+')) digits = compact.slice(1);
    else if (compact.startsWith('00')) digits = compact.slice(2);
    else if (compact.startsWith('0')) return invalid('The number starts with a national 0: write it with its country code instead.');
    else digits = compact;
  }
  if (digits.startsWith('0')) return invalid('A country code never starts with 0.');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return invalid(`An international number has ${MIN_DIGITS} to ${MAX_DIGITS} digits with its country code.`);
  return { ok: true, kind: 'person', digits, jid: `${digits}@s.whatsapp.net` };
}

/** A reason code as the message of a custom issue: the API turns it into that code (request-body.ts). */
function phoneField(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((value, ctx) => {
      if (!normalizeWhatsAppAddress(value).ok) ctx.addIssue({ code: 'custom', message: 'WHATSAPP_NUMBER_INVALID' });
    });
}

/** POST /api/alerts/whatsapp/link: show a QR code, or get a pairing code for this phone number. */
export const WhatsAppLinkRequestSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('qr') }),
  z.strictObject({ method: z.literal('pairing-code'), phone: phoneField(32) }),
]);
export type WhatsAppLinkRequest = z.infer<typeof WhatsAppLinkRequestSchema>;

/** POST /api/alerts/whatsapp/unlink: no fields. */
export const WhatsAppUnlinkRequestSchema = z.strictObject({});

/** POST /api/alerts/whatsapp/check: is this number (or group) reachable on WhatsApp? */
export const WhatsAppCheckRequestSchema = z.strictObject({ number: phoneField(80) });
export type WhatsAppCheckRequest = z.infer<typeof WhatsAppCheckRequestSchema>;

export interface WhatsAppCheckResult {
  exists: boolean;
  /** The address to store for the recipient: `<digits>@s.whatsapp.net` or the group's `@g.us` id. */
  jid: string | null;
}
