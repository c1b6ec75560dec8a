// The part of a Baileys socket the session uses. The worker plugs in makeWASocket
// (baileys-socket.ts); the tests plug in a fake built on Baileys' own event buffer, so the
// session code under test is the code that ships.
import type { AnyMessageContent, AuthenticationState, BaileysEventMap, Contact, GroupMetadata, MiscMessageGenerationOptions, WAMessage } from '@whiskeysockets/baileys';

export interface WaSocket {
  ev: {
    /** Baileys' batched event stream (its event buffer flushes into this). */
    process(handler: (events: Partial<BaileysEventMap>) => void | Promise<void>): () => void;
  };
  readonly user: Contact | undefined;
  end(error: Error | undefined): Promise<void>;
  logout(msg?: string): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  onWhatsApp(...phoneNumbers: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  groupMetadata(jid: string): Promise<GroupMetadata>;
}

/** A new socket connecting with this auth state; it reports through `ev` from then on. */
export type SocketFactory = (auth: AuthenticationState) => WaSocket;
