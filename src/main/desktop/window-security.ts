// Hardening every web contents the desktop host creates: the renderer is a web page that
// shows camera video, so it gets no Node, no navigation away from the engine, no new
// windows, no webviews and no permissions it does not need.
import { app, session, shell, type WebContents } from 'electron';

export function isEngineUrl(url: string, engineOrigin: string): boolean {
  try {
    return new URL(url).origin === engineOrigin;
  } catch {
    return false;
  }
}

export function hardenApp(engineOrigin: () => string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isEngineUrl(url, engineOrigin())) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isEngineUrl(url, engineOrigin())) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Help links may open in the user's browser; nothing opens inside Vigil.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(() => {
    const allowed = new Set(['notifications', 'fullscreen']);
    session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
      callback(allowed.has(permission) && isEngineUrl(contents.getURL(), engineOrigin()));
    });
    session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => allowed.has(permission) && isEngineUrl(origin, engineOrigin()));
  });
}
