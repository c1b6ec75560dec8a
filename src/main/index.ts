// Desktop host: Electron's main process. It runs the same engine as the headless host, in
// process, and adds only what needs a desktop: the window, the OS keychain and preferences.
// The renderer reaches the engine over the engine's own HTTP/WebSocket API, as in a browser.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { startEngine, type Engine } from './engine/engine';
import { parseHostOptions } from './host-options';
import { DesktopPrefs } from './desktop/desktop-prefs';
import { showAlertNotifications } from './desktop/alert-notifications';
import { createMainWindow } from './desktop/main-window';
import { registerExportSave } from './desktop/export-save';
import { desktopSecretKey } from './desktop/secret-key';
import { utilityLauncher } from './desktop/utility-launcher';
import { hardenApp, isEngineUrl } from './desktop/window-security';

let engine: Engine | null = null;
const engineOrigin = () => (engine ? new URL(engine.url).origin : 'null');

if (!app.requestSingleInstanceLock()) app.quit();
hardenApp(engineOrigin);

async function boot(): Promise<void> {
  const options = parseHostOptions(process.argv.slice(1));
  const userData = app.getPath('userData');
  const appRoot = app.getAppPath();
  engine = await startEngine({
    dataDir: process.argv.some((arg) => arg.startsWith('--data-dir')) || process.env.VIGIL_DATA_DIR ? options.dataDir : userData,
    // A random port each start: the window is the only client, and the token changes too.
    port: process.env.VIGIL_PORT || process.argv.some((arg) => arg.startsWith('--port')) ? options.port : 0,
    token: options.token,
    rendererDir: join(appRoot, 'out', 'renderer'),
    resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(appRoot, 'resources'),
    appDir: app.isPackaged ? process.resourcesPath : appRoot,
    secretKey: desktopSecretKey(userData),
    demoSite: options.demoSite,
    workerLauncher: utilityLauncher,
  });
  const prefs = new DesktopPrefs();

  // Only the engine's own page may ask for the endpoint and token, or touch preferences.
  const fromEngine = (event: Electron.IpcMainInvokeEvent) => {
    if (!event.senderFrame || !isEngineUrl(event.senderFrame.url, engineOrigin())) throw new Error('refused: not the Vigil window');
  };
  ipcMain.handle('vigil:endpoint', (event) => {
    fromEngine(event);
    return { baseUrl: engine!.url, token: engine!.token };
  });
  ipcMain.handle('vigil:prefs:get', (event, key: unknown) => {
    fromEngine(event);
    return typeof key === 'string' ? prefs.get(key) : undefined;
  });
  ipcMain.handle('vigil:prefs:set', (event, key: unknown, value: unknown) => {
    fromEngine(event);
    if (typeof key !== 'string') throw new Error('invalid preference key');
    prefs.set(key, value);
  });
  registerExportSave(() => engine, fromEngine);

  createMainWindow(engine.url, prefs);
  // Alerts of the desktop channel also as native notifications with sound.
  showAlertNotifications(engine.alerts);
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
}

app.whenReady().then(boot).catch((error: Error) => {
  dialog.showErrorBox('Vigil could not start', error.message);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!engine) return;
  event.preventDefault();
  const stopping = engine;
  engine = null;
  void stopping.stop().finally(() => app.exit(0));
});
