import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import type { DesktopPrefs } from './desktop-prefs';

export function createMainWindow(url: string, prefs: DesktopPrefs): BrowserWindow {
  const saved = prefs.windowBounds();
  const visible = saved && screen.getAllDisplays().some((display) => {
    const area = display.workArea;
    return saved.x < area.x + area.width && saved.x + saved.width > area.x && saved.y < area.y + area.height && saved.y + saved.height > area.y;
  });
  const window = new BrowserWindow({
    ...(visible ? saved : { width: 1600, height: 960 }),
    minWidth: 800,
    minHeight: 500,
    backgroundColor: '#0b0f14',
    title: 'Vigil',
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Control rooms run the grid unattended: never throttle video in the background.
      backgroundThrottling: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const save = () => {
    if (!window.isMinimized() && !window.isFullScreen()) prefs.setWindowBounds(window.getBounds());
  };
  window.on('resize', save);
  window.on('move', save);
  void window.loadURL(url);
  return window;
}
