// What operators type for a WhatsApp recipient, and what it becomes.
import { describe, expect, it } from 'vitest';
import { normalizeWhatsAppAddress, WhatsAppCheckRequestSchema, WhatsAppLinkRequestSchema } from '../../../src/shared/whatsapp';

describe('WhatsApp addresses', () => {
  it.each([
    ['+49 171 1234567', '491711234567'],
    ['0049 (171) 123-4567', '491711234567'],
    ['491711234567', '491711234567'],
    ['+1 415.555.0100', '14155550100'],
    ['491711234567@s.whatsapp.net', '491711234567'],
    ['491711234567:12@s.whatsapp.net', '491711234567'],
  ])('%s -> %s', (input, digits) => {
    expect(normalizeWhatsAppAddress(input)).toEqual({ ok: true, kind: 'person', digits, jid: `${digits}@s.whatsapp.net` });
  });

  it('keeps group ids as they are', () => {
    expect(normalizeWhatsAppAddress(' 120363040000000001@g.us ')).toEqual({ ok: true, kind: 'group', jid: '120363040000000001@g.us' });
    expect(normalizeWhatsAppAddress('491711234567-1600000000@g.us')).toMatchObject({ ok: true, kind: 'group' });
  });

  it.each([
    ['0171 1234567', /national 0/],
    ['+0171 1234567', /never starts with 0/],
    ['12345', /7 to 15 digits/],
    ['+49 171 1234567 8901234', /7 to 15 digits/],
    ['+49 171 CALLME', /digits only/],
    ['guard@example.com', /phone numbers and group ids/],
    ['abc@g.us', /not a WhatsApp group id/],
    ['', /digits only/],
  ])('refuses %j', (input, why) => {
    const result = normalizeWhatsAppAddress(input);
    expect(result).toMatchObject({ ok: false, reason: 'WHATSAPP_NUMBER_INVALID' });
    expect(!result.ok && result.message).toMatch(why);
  });

  it('the request schemas turn a bad number into the reason code', () => {
    const bad = WhatsAppLinkRequestSchema.safeParse({ method: 'pairing-code', phone: '0171 1234567' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ code: 'custom', message: 'WHATSAPP_NUMBER_INVALID', path: ['phone'] });
    expect(WhatsAppLinkRequestSchema.parse({ method: 'qr' })).toEqual({ method: 'qr' });
    expect(WhatsAppLinkRequestSchema.safeParse({ method: 'qr', phone: '+491711234567' }).success).toBe(false);
    expect(WhatsAppCheckRequestSchema.parse({ number: ' +49 171 1234567 ' })).toEqual({ number: '+49 171 1234567' });
  });
});
