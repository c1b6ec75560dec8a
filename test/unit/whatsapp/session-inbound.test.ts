// What comes back: delivery receipts become 'delivered' events (once per message), operators'
// messages become replies with the quoted message's id, and numbers are checked on WhatsApp.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/main/engine/alerts/whatsapp/session-types';
import { settle } from './fake-clock';
import { connected, emptyStore, harness } from './session-harness';

const GUARD = '4917612345678@s.whatsapp.net';
const GROUP = '120363040000000001@g.us';
const replies = (events: SessionEvent[]) => events.flatMap((event) => (event.type === 'reply' ? [event.reply] : []));
const delivered = (events: SessionEvent[]) => events.flatMap((event) => (event.type === 'delivered' ? [event.providerId] : []));

describe('WhatsApp session: receipts', () => {
  it('a delivery receipt becomes one delivered event; a later read receipt adds none', async () => {
    const h = await connected();
    h.latest().emit('messages.update', [{ key: { remoteJid: GUARD, fromMe: true, id: '3EB0AAAAAAAAAAAAAAAAAA' }, update: { status: 2 } }]);
    await settle();
    expect(delivered(h.events)).toEqual([]);
    h.latest().emit('messages.update', [{ key: { remoteJid: GUARD, fromMe: true, id: '3EB0AAAAAAAAAAAAAAAAAA' }, update: { status: 3 } }]);
    h.latest().emit('messages.update', [{ key: { remoteJid: GUARD, fromMe: true, id: '3EB0AAAAAAAAAAAAAAAAAA' }, update: { status: 4 } }]);
    await settle();
    expect(delivered(h.events)).toEqual(['3EB0AAAAAAAAAAAAAAAAAA']);
  });

  it('in a group, the first member receipt counts as delivered', async () => {
    const h = await connected();
    const receipt = (userJid: string) => ({ key: { remoteJid: GROUP, fromMe: true, id: '3EB0BBBBBBBBBBBBBBBBBB' }, receipt: { userJid, receiptTimestamp: 1736154000 } });
    h.latest().emit('message-receipt.update', [receipt('4917600000001@s.whatsapp.net')]);
    h.latest().emit('message-receipt.update', [receipt('4917600000002@s.whatsapp.net')]);
    await settle();
    expect(delivered(h.events)).toEqual(['3EB0BBBBBBBBBBBBBBBBBB']);
  });

  it('receipts for messages other people sent to us are not ours to report', async () => {
    const h = await connected();
    h.latest().emit('messages.update', [{ key: { remoteJid: GUARD, fromMe: false, id: 'ABCDEF' }, update: { status: 4 } }]);
    await settle();
    expect(delivered(h.events)).toEqual([]);
  });
});

describe('WhatsApp session: replies', () => {
  it('a quoted reply carries the quoted message id (stanzaId) and the sender', async () => {
    const h = await connected();
    h.latest().emit('messages.upsert', {
      type: 'notify',
      messages: [
        {
          key: { remoteJid: GUARD, fromMe: false, id: 'IN1' },
          messageTimestamp: 1736154000,
          message: { extendedTextMessage: { text: 'ACK', contextInfo: { stanzaId: '3EB0CCCCCCCCCCCCCCCCCC', participant: '4915112345678@s.whatsapp.net' } } },
        },
      ],
    });
    await settle();
    expect(replies(h.events)).toEqual([{ from: GUARD, text: 'ACK', quotedProviderId: '3EB0CCCCCCCCCCCCCCCCCC', at: 1736154000_000 }]);
  });

  it('plain text, group members, LIDs with the phone number as alt, disappearing chats', async () => {
    const h = await connected();
    h.latest().emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { remoteJid: GUARD, fromMe: false, id: 'IN2' }, message: { conversation: 'ACK 1c590829' } },
        { key: { remoteJid: GROUP, participant: '4917600000009:4@s.whatsapp.net', fromMe: false, id: 'IN3' }, message: { conversation: 'on my way' } },
        { key: { remoteJid: '123456789012345@lid', remoteJidAlt: '4917600000010@s.whatsapp.net', fromMe: false, id: 'IN4' }, message: { conversation: 'ack' } },
        { key: { remoteJid: GUARD, fromMe: false, id: 'IN5' }, message: { ephemeralMessage: { message: { extendedTextMessage: { text: 'ACK 77' } } } } },
      ],
    });
    await settle();
    expect(replies(h.events).map(({ from, text, quotedProviderId }) => ({ from, text, quotedProviderId }))).toEqual([
      { from: GUARD, text: 'ACK 1c590829', quotedProviderId: null },
      { from: '4917600000009@s.whatsapp.net', text: 'on my way', quotedProviderId: null },
      { from: '4917600000010@s.whatsapp.net', text: 'ack', quotedProviderId: null },
      { from: GUARD, text: 'ACK 77', quotedProviderId: null },
    ]);
  });

  it('our own messages, history (append), status broadcasts and media without text are not replies', async () => {
    const h = await connected();
    h.latest().emit('messages.upsert', { type: 'append', messages: [{ key: { remoteJid: GUARD, fromMe: false, id: 'OLD' }, message: { conversation: 'ACK old' } }] });
    h.latest().emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { remoteJid: GUARD, fromMe: true, id: 'MINE' }, message: { conversation: 'ACK from the site phone' } },
        { key: { remoteJid: 'status@broadcast', participant: GUARD, fromMe: false, id: 'ST' }, message: { conversation: 'ACK' } },
        { key: { remoteJid: GUARD, fromMe: false, id: 'IMG' }, message: { imageMessage: { mimetype: 'image/jpeg' } } },
      ],
    });
    await settle();
    expect(replies(h.events)).toEqual([]);
  });
});

describe('WhatsApp session: number checks', () => {
  it('answers with the JID WhatsApp knows, or says why not', async () => {
    const h = await connected();
    h.latest().directory.set(GUARD, GUARD);
    h.latest().groups.add(GROUP);
    expect(await h.session.check('+49 176 12345678')).toEqual({ ok: true, address: GUARD });
    expect(await h.session.check('0049 176 99999999')).toMatchObject({ ok: false, reason: 'WHATSAPP_NUMBER_NOT_ON_WHATSAPP' });
    expect(await h.session.check('0176 12345678')).toMatchObject({ ok: false, reason: 'WHATSAPP_NUMBER_INVALID' });
    expect(await h.session.check(GROUP)).toEqual({ ok: true, address: GROUP });
    expect(await h.session.check('120363040000000002@g.us')).toMatchObject({ ok: false, reason: 'WHATSAPP_GROUP_NOT_FOUND' });
  });

  it('cannot check while not linked', async () => {
    const h = harness(emptyStore());
    await h.session.connect();
    expect(await h.session.check('+49 176 12345678')).toMatchObject({ ok: false, reason: 'WHATSAPP_NOT_LINKED' });
  });
});
