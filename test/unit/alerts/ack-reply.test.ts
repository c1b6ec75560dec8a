// Acknowledging by reply: the parser, and replies arriving through a WhatsApp channel (a fake
// of WhatsApp's servers at the channel interface) to the real alert and incident services:
// `ACK <id>`, a quoted bare `ok`, and senders who may not acknowledge.
import { afterEach, describe, expect, it } from 'vitest';
import { parseAck } from '../../../src/main/engine/alerts/ack-reply';
import { shortId } from '../../../src/main/engine/alerts/message';
import { FakeWhatsApp } from './fake-whatsapp';
import { serviceBench, until, type ServiceBench } from './service-fixtures';

describe('ACK parser', () => {
  it('reads ACK with a short id, whatever the case and punctuation', () => {
    expect(parseAck('ACK 1a2b3c4d')).toEqual({ shortId: '1a2b3c4d' });
    expect(parseAck('ack: #1A2B3C4D.')).toEqual({ shortId: '1a2b3c4d' });
    expect(parseAck('  Ack 1a2b3c4d, on my way!')).toEqual({ shortId: '1a2b3c4d' });
    expect(parseAck('ACK "1a2b3c4d-5e6f"')).toEqual({ shortId: '1a2b3c4d-5e6f' });
    expect(parseAck('acknowledged 1a2b')).toEqual({ shortId: '1a2b' });
  });

  it('reads a bare ACK or ok (a reply to the alert message itself)', () => {
    for (const text of ['ACK', 'ack!', 'OK', 'ok.', 'Okay', 'ok thanks', '  ok 👍']) expect(parseAck(text), text).toEqual({ shortId: null });
    // Too short to be an id: a bare acknowledgement that needs the quoted message.
    expect(parseAck('ACK abc')).toEqual({ shortId: null });
  });

  it('ignores everything else', () => {
    for (const text of ['', 'hello', 'not ok', 'who is at gate 2?', 'acking', 'ACKX 1a2b3c4d', '👍']) expect(parseAck(text), text).toBeNull();
  });
});

describe('ACK replies through a channel', () => {
  let bench: ServiceBench | null = null;
  afterEach(async () => {
    await bench?.close();
    bench = null;
  });

  async function setUp() {
    const b = (bench = serviceBench());
    const whatsapp = new FakeWhatsApp();
    b.alerts.addChannel(whatsapp);
    b.alerts.start();
    const ana = await b.alerts.config.createRecipient({ channel: 'whatsapp', address: '+44 7700 900123', name: 'Ana', groups: ['guards'], mayAcknowledge: true, enabled: true });
    const bob = await b.alerts.config.createRecipient({ channel: 'whatsapp', address: '+44 7700 900456', name: 'Bob', groups: ['guards'], mayAcknowledge: false, enabled: true });
    b.policies([{ id: 'guards', name: 'Guards', channels: ['whatsapp'], groups: ['guards'], cooldownMs: 0 }]);
    return { b, whatsapp, ana, bob };
  }

  it('acknowledges an alerted incident from an authorised sender, audited as whatsapp:<name>', async () => {
    const { b, whatsapp, ana } = await setUp();
    expect(ana.address).toBe('447700900123@s.whatsapp.net');
    const incident = b.intruder();
    await until('the alert to both guards', () => whatsapp.sent.length === 2);
    expect(whatsapp.sent.map((s) => s.recipient.name).sort()).toEqual(['Ana', 'Bob']);
    expect(whatsapp.sent[0]!.message.text).toContain(`ACK ${shortId(incident.id)}`);

    // A phone's reply comes from its JID with a device suffix; the id in capitals with punctuation.
    whatsapp.reply('447700900123:17@s.whatsapp.net', `Ack ${shortId(incident.id).toUpperCase()}!`);
    expect(b.incidents.get(incident.id).state).toBe('acknowledged');
    const audit = b.incidents.get(incident.id).actions.map((a) => `${a.who}:${a.action}`);
    expect(audit).toEqual(['vigil:raised', 'whatsapp:Ana:acknowledge']);
    expect(b.incidents.get(incident.id).owner).toBe('whatsapp:Ana');
    // Both guards hear that Ana took it: one update each, not more.
    await until('the update to both', () => whatsapp.sent.length === 4);
    expect(whatsapp.sent.slice(2).map((s) => [s.recipient.name, s.message.kind, s.message.title]).sort()).toEqual([
      ['Ana', 'update', 'Acknowledged · Yard camera · Intruder in the yard'],
      ['Bob', 'update', 'Acknowledged · Yard camera · Intruder in the yard'],
    ]);
    // A second ACK changes nothing.
    expect(b.alerts.reply({ channel: 'whatsapp', from: '447700900123@s.whatsapp.net', text: `ACK ${shortId(incident.id)}`, quotedProviderId: null, at: Date.now() })).toMatchObject({ outcome: 'already' });
  });

  it('acknowledges by a bare ok quoting the alert message', async () => {
    const { b, whatsapp } = await setUp();
    const incident = b.intruder();
    await until('the alerts', () => whatsapp.sent.length === 2);
    const toAna = whatsapp.sent.find((s) => s.recipient.name === 'Ana')!;
    whatsapp.reply('447700900123@s.whatsapp.net', 'ok', toAna.providerId);
    expect(b.incidents.get(incident.id)).toMatchObject({ state: 'acknowledged', owner: 'whatsapp:Ana' });
  });

  it('ignores senders who may not acknowledge, strangers, and replies naming no alerted incident', async () => {
    const { b, whatsapp } = await setUp();
    const incident = b.intruder();
    await until('the alerts', () => whatsapp.sent.length === 2);
    const short = shortId(incident.id);
    const reply = (from: string, text: string, quoted: string | null = null) => b.alerts.reply({ channel: 'whatsapp', from, text, quotedProviderId: quoted, at: Date.now() });
    // Bob is a recipient but may not acknowledge.
    expect(reply('447700900456@s.whatsapp.net', `ACK ${short}`)).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNAUTHORISED' });
    // A stranger who learnt the id.
    expect(reply('15550001111@s.whatsapp.net', `ACK ${short}`)).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNAUTHORISED' });
    // Ana, but naming no incident that was alerted, or a bare ok without a quoted alert.
    expect(reply('447700900123@s.whatsapp.net', 'ACK ffffffff')).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNKNOWN' });
    expect(reply('447700900123@s.whatsapp.net', 'ok')).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNKNOWN' });
    expect(reply('447700900123@s.whatsapp.net', 'ok', 'not-a-message-we-sent')).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNKNOWN' });
    // Chatter is not an acknowledgement at all.
    expect(reply('447700900123@s.whatsapp.net', 'on my way')).toEqual({ outcome: 'ignored', reason: 'NOT_AN_ACK' });
    expect(b.incidents.get(incident.id).state).toBe('new');
    expect(b.incidents.get(incident.id).actions.map((a) => a.action)).toEqual(['raised']);
    // Logged without the whole number.
    const unauthorised = b.logs.filter((l) => l.includes('ALERT_ACK_UNAUTHORISED'));
    expect(unauthorised).toHaveLength(2);
    expect(unauthorised.join('\n')).not.toContain('15550001111');
    // A switched-off recipient may not acknowledge either.
    const ana = b.alerts.config.recipients.list().find((r) => r.name === 'Ana')!;
    await b.alerts.config.updateRecipient(ana.id, { enabled: false });
    expect(reply('447700900123@s.whatsapp.net', `ACK ${short}`)).toEqual({ outcome: 'ignored', reason: 'ALERT_ACK_UNAUTHORISED' });
  });

  it('moves a message to delivered on the channel receipt', async () => {
    const { b, whatsapp } = await setUp();
    b.intruder();
    await until('the alerts sent', () => whatsapp.sent.length === 2 && b.alerts.outbox.list({ limit: 10, state: 'sent' }).deliveries.length === 2);
    whatsapp.receipt(whatsapp.sent[0]!.providerId);
    expect(b.alerts.outbox.list({ limit: 10, state: 'delivered' }).deliveries.map((d) => d.recipientName)).toEqual([whatsapp.sent[0]!.recipient.name]);
  });
});
