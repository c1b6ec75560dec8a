// What the WhatsApp card shows for a status, decided here rather than in the markup: words
// for states, the pairing code as WhatsApp shows it, which actions fit, and which of two
// statuses is the newer one.
import type { ChannelStatus } from '../../../../shared/alerts';

export const STATE_TEXT: Record<ChannelStatus['state'], string> = {
  ready: 'Connected',
  connecting: 'Connecting…',
  'needs-link': 'Not linked',
  disconnected: 'Stopped',
  disabled: 'Off',
};

/** Shown on the card whatever the state: what this integration is and what it is not. */
export const WHATSAPP_DISCLAIMER =
  "Unofficial integration: Vigil sends from the site's own WhatsApp number as a linked device. Delivery is best effort and WhatsApp may limit or block it at any time, so never make WhatsApp the only channel for life-safety alarms.";

export interface CardView {
  stateText: string;
  /** "linked as +49…", when a number is linked. */
  linkedText: string | null;
  /** A link is under way: a QR code or pairing code is up, or the first connection is being made. */
  linking: boolean;
  /** The QR / pairing-code form (nothing linked, nothing under way). */
  showLinkForm: boolean;
  /** Reconnect a linked number WhatsApp stopped (440 replaced, 405 version). */
  showReconnect: boolean;
  unlinkLabel: 'Unlink' | 'Cancel linking' | null;
  /** The pairing code grouped as the phone shows it. */
  pairingCode: string | null;
}

export function cardView(status: ChannelStatus | null): CardView {
  const linked = !!status?.linkedAs;
  const linking = !!status && !linked && (!!status.qr || !!status.pairingCode || status.state === 'connecting');
  return {
    stateText: status ? STATE_TEXT[status.state] : 'Unknown',
    linkedText: linked ? `linked as +${status!.linkedAs}` : null,
    linking,
    showLinkForm: !linked && !linking,
    showReconnect: linked && status!.state === 'disconnected',
    unlinkLabel: linked ? 'Unlink' : linking ? 'Cancel linking' : null,
    pairingCode: status?.pairingCode ? pairingCodeText(status.pairingCode) : null,
  };
}

/** WhatsApp's phone screen shows the eight characters as two groups of four. */
export function pairingCodeText(code: string): string {
  const clean = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}

export interface Received {
  status: ChannelStatus;
  /** When this page got it (ms). */
  at: number;
}

/**
 * The status from the alerts panel (live events) or the one this card fetched itself: the
 * later change of state wins, and between two of the same state the one received last (a
 * QR code is renewed without a change of state).
 */
export function latestStatus(fromPanel: Received | null, own: Received | null): ChannelStatus | null {
  if (!fromPanel || !own) return (fromPanel ?? own)?.status ?? null;
  if (fromPanel.status.since !== own.status.since) return fromPanel.status.since > own.status.since ? fromPanel.status : own.status;
  return fromPanel.at > own.at ? fromPanel.status : own.status;
}
