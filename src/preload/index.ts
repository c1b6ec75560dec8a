// The only bridge between the sandboxed renderer and the desktop: it hands over the engine's
// endpoint and token and the desktop-only preferences store. Everything else the renderer
// does goes through the engine's HTTP/WebSocket API, exactly as in a browser.
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('vigilHost', {
  platform: process.platform,
  endpoint: (): Promise<{ baseUrl: string; token: string }> => ipcRenderer.invoke('vigil:endpoint'),
  prefs: {
    get: (key: string): Promise<unknown> => ipcRenderer.invoke('vigil:prefs:get', key),
    set: (key: string, value: unknown): Promise<void> => ipcRenderer.invoke('vigil:prefs:set', key, value),
  },
  // Asks for a folder and copies a finished evidence export there (src/main/desktop/export-save.ts).
  saveExport: (jobId: string): Promise<{ path: string } | null> => ipcRenderer.invoke('vigil:export:save', jobId),
});
