// Alerts: how incidents reach people who are not looking at the screen. This file holds the
// types both sides of the API share; the alerts helper extends it (policies, recipients,
// deliveries, settings) and the WhatsApp channel uses only ChannelKind and ChannelStatus.
import type { AlertReason } from './reasons';

export type ChannelKind = 'whatsapp' | 'webhook' | 'desktop';

/**
 * A channel as the settings screen shows it. `ready`: can send now; `needs-link`: WhatsApp
 * has no linked device (show the QR or pairing code); `connecting`: (re)connecting with
 * backoff; `disconnected`: stopped, `reason` says why and what to do; `disabled`: off.
 */
export interface ChannelStatus {
  kind: ChannelKind;
  state: 'ready' | 'connecting' | 'needs-link' | 'disconnected' | 'disabled';
  reason: AlertReason | null;
  message: string | null;
  /** WhatsApp: the linked number (digits only) and the pending QR payload or pairing code. */
  linkedAs?: string | null;
  qr?: string | null;
  pairingCode?: string | null;
  /** When the state last changed (ms). */
  since: number;
}
