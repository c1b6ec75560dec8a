// Desktop channel: the alert as a banner over the app, in every window and browser showing
// this engine (the `alert.banner` event), and as a native notification with sound where the
// desktop host listens for the same event (src/main/desktop/alert-notifications.ts). The
// engine cannot know whether anyone looked, so a banner counts as sent, never delivered.
import { EventEmitter } from 'node:events';
import type { AlertBanner, ChannelStatus } from '../../../shared/alerts';
import type { AlertChannel, AlertMessage, ChannelEvents, SendOutcome } from './channel';

export class DesktopChannel extends EventEmitter<ChannelEvents> implements AlertChannel {
  readonly kind = 'desktop' as const;
  private readonly since: number;

  constructor(
    private readonly show: (banner: AlertBanner) => void,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.since = now();
  }

  status(): ChannelStatus {
    return { kind: 'desktop', state: 'ready', reason: null, message: null, since: this.since };
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async send(message: AlertMessage): Promise<SendOutcome> {
    this.show({ alertId: message.alertId, incidentId: message.incidentId, kind: message.kind, severity: message.severity, title: message.title, text: message.text, at: this.now() });
    return { ok: true, delivered: false };
  }
}
