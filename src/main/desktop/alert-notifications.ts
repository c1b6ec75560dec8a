// The desktop channel's native side: every `alert.banner` the engine's alert service emits is
// also shown as an OS notification with the system's sound, so an alert is heard when the
// window is minimised or behind another program. The in-app banner (the renderer) shows the
// same alert in every window and browser; this adds only what needs the desktop.
import { BrowserWindow, Notification } from 'electron';
import type { EventEmitter } from 'node:events';
import type { EngineEvent } from '../../shared/api';

/** Notifications shown and not yet closed: kept referenced so the OS can still report a click. */
const MAX_OPEN = 20;

export function showAlertNotifications(alerts: EventEmitter<{ event: [EngineEvent] }>): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const open = new Set<Notification>();
  const onEvent = (event: EngineEvent) => {
    if (event.type !== 'alert.banner') return;
    const { banner } = event;
    const urgent = banner.severity === 'critical' || banner.severity === 'high';
    const notification = new Notification({
      title: banner.title,
      body: banner.text,
      // Not silent: the OS plays its notification sound.
      silent: false,
      urgency: urgent ? 'critical' : 'normal',
      timeoutType: urgent ? 'never' : 'default',
    });
    notification.on('click', () => {
      const window = BrowserWindow.getAllWindows()[0];
      if (window?.isMinimized()) window.restore();
      window?.show();
      window?.focus();
    });
    notification.on('close', () => open.delete(notification));
    open.add(notification);
    if (open.size > MAX_OPEN) {
      const oldest = open.values().next().value;
      oldest?.close();
      if (oldest) open.delete(oldest);
    }
    notification.show();
  };
  alerts.on('event', onEvent);
  return () => {
    alerts.off('event', onEvent);
    for (const notification of open) notification.close();
    open.clear();
  };
}
