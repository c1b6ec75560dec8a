// What every alert channel (WhatsApp, webhook, desktop) offers the outbox dispatcher. The
// dispatcher owns retries, backoff and idempotency; a channel only tries one send and says
// honestly how it went, so that a connection error is retried and a rejection never is.
import type { EventEmitter } from 'node:events';
import type { ChannelKind, ChannelStatus } from '../../../shared/alerts';
import type { AlertReason } from '../../../shared/reasons';
import type { Severity } from '../../../shared/rules';

/** One alert as rendered for sending: text for people, a payload for machines. */
export interface AlertMessage {
  /** The outbox row's id: stable across retries and restarts. */
  alertId: string;
  /** Sent with the alert (webhook header, WhatsApp dedup) so a receiver can drop repeats. */
  idempotencyKey: string;
  incidentId: string | null;
  kind: 'incident' | 'update' | 'escalation' | 'digest' | 'camera-offline' | 'test';
  severity: Severity;
  /** One line: "CRITICAL · Gate 2 · Person in zone Yard". */
  title: string;
  /** The full message for people: site, camera, zone, rule, local time, objects, id, how to acknowledge. */
  text: string;
  /** A JPEG with the boxes drawn, when there is one and the channel can carry it. */
  snapshotPath: string | null;
  /** Structured form of the same alert (the webhook's JSON body). */
  payload: Record<string, unknown>;
}

export interface AlertRecipient {
  id: string;
  channel: ChannelKind;
  /** WhatsApp: a JID (`<digits>@s.whatsapp.net` or `<id>@g.us`); webhook: an http(s) URL; desktop: 'desktop'. */
  address: string;
  name: string;
}

export type SendOutcome =
  /** Accepted by the channel. `delivered` when the channel knows it reached the person. */
  | { ok: true; delivered: boolean; providerId?: string }
  /**
   * Not sent. `retry` only for errors a later try can fix (connection lost, timeout, 5xx);
   * never for rejections (bad number, 4xx, WhatsApp rate limits 429/463).
   */
  | { ok: false; retry: boolean; reason: AlertReason; message: string; retryAfterMs?: number };

/** An operator's reply that came back through a channel (WhatsApp `ACK <id>`). */
export interface InboundReply {
  channel: ChannelKind;
  /** Who sent it, as the channel names them (a JID for WhatsApp). */
  from: string;
  text: string;
  /** The provider id of the message it quotes, when it is a quoted reply. */
  quotedProviderId: string | null;
  at: number;
}

export interface ChannelEvents {
  status: [ChannelStatus];
  /** A message accepted earlier was delivered to the device (WhatsApp receipts). */
  delivered: [{ providerId: string; at: number }];
  reply: [InboundReply];
}

export interface AlertChannel extends EventEmitter<ChannelEvents> {
  readonly kind: ChannelKind;
  status(): ChannelStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(message: AlertMessage, recipient: AlertRecipient, signal: AbortSignal): Promise<SendOutcome>;
  /**
   * Checks an address when a recipient is added (WhatsApp: is the number on WhatsApp?) and
   * returns its normalized form (a JID). Channels without such a check leave it out.
   */
  checkAddress?(address: string): Promise<{ ok: true; address: string } | { ok: false; reason: AlertReason; message: string }>;
}
