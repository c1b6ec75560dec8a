// A stand-in for Baileys' socket, for the session tests: its `ev` is Baileys' own event
// buffer (makeEventBuffer, the emitter makeWASocket gives sock.ev), its errors are Boom
// errors from @hapi/boom (Baileys' dependency), and it applies creds.update to the
// credentials the way makeWASocket does. Only the network is missing.
import { Boom } from '@hapi/boom';
import { makeEventBuffer, type AnyMessageContent, type AuthenticationState, type BaileysEventMap, type Contact, type GroupMetadata, type MiscMessageGenerationOptions, type WAMessage } from '@whiskeysockets/baileys';
import type { WaSocket } from '../../../src/main/engine/alerts/whatsapp/socket-port';
import { baileysLogger } from '../../../src/main/engine/alerts/whatsapp/baileys-log';

export interface SentMessage {
  jid: string;
  content: AnyMessageContent;
  options: MiscMessageGenerationOptions | undefined;
  at: number;
}

export class FakeSocket implements WaSocket {
  readonly ev = makeEventBuffer(baileysLogger(() => undefined, 'silent'));
  readonly sent: SentMessage[] = [];
  ended = false;
  loggedOut = false;
  pairingRequests: string[] = [];
  /** Replaces the default send (which accepts everything). */
  onSend: ((message: SentMessage) => Promise<WAMessage | undefined>) | null = null;
  /** Numbers on WhatsApp, by JID; groups the linked number is in. */
  directory = new Map<string, string>();
  groups = new Set<string>();

  constructor(
    readonly auth: AuthenticationState,
    private readonly now: () => number = Date.now,
  ) {
    this.ev.on('creds.update', (update) => Object.assign(auth.creds, update));
  }

  get user(): Contact | undefined {
    return this.auth.creds.me;
  }

  emit<T extends keyof BaileysEventMap>(event: T, data: BaileysEventMap[T]): void {
    this.ev.emit(event, data);
  }

  open(): void {
    this.emit('connection.update', { connection: 'open' });
  }

  qr(payload: string): void {
    this.emit('connection.update', { qr: payload });
  }

  /** WhatsApp closes the connection with this disconnect reason. */
  close(statusCode: number, text = 'Connection Failure'): void {
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: new Boom(text, { statusCode }), date: new Date(this.now()) } });
  }

  /** The phone accepted the link: what Baileys does on pair-success, then the 515 restart. */
  pairSuccess(meId: string): void {
    this.emit('creds.update', { me: { id: meId, name: 'Site phone' }, account: { details: new Uint8Array([1, 2, 3]), accountSignature: new Uint8Array([4]) }, platform: 'android' });
    this.emit('connection.update', { isNewLogin: true, qr: undefined });
    this.close(515, 'Stream Errored (restart required)');
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date(this.now()) } });
  }

  async logout(msg?: string): Promise<void> {
    this.loggedOut = true;
    await this.end(new Boom(msg ?? 'Intentional Logout', { statusCode: 401 }));
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    this.emit('creds.update', { pairingCode: 'K7M2Q9XA', me: { id: `${phoneNumber}@s.whatsapp.net`, name: '~' } });
    return 'K7M2Q9XA';
  }

  async onWhatsApp(...numbers: string[]): Promise<{ jid: string; exists: boolean }[] | undefined> {
    return numbers.flatMap((jid) => (this.directory.has(jid) ? [{ jid: this.directory.get(jid)!, exists: true }] : []));
  }

  async sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined> {
    const message = { jid, content, options, at: this.now() };
    this.sent.push(message);
    if (this.onSend) return this.onSend(message);
    return { key: { remoteJid: jid, fromMe: true, id: options?.messageId ?? 'generated' }, message: {} } as WAMessage;
  }

  async groupMetadata(jid: string): Promise<GroupMetadata> {
    if (!this.groups.has(jid)) throw new Boom('item-not-found', { data: 404 });
    return { id: jid, subject: 'Night shift', participants: [] } as unknown as GroupMetadata;
  }
}
