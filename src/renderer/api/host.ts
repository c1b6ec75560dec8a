// The desktop host's preload bridge. Absent in a plain browser (headless host), so every use
// goes through `getHost()` and falls back to the page's own origin and localStorage.

export interface VigilHost {
  endpoint(): Promise<{ baseUrl: string; token: string }>;
  prefs: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
  };
  platform: string;
  /**
   * Desktop only: asks where to save a finished evidence export and copies its folder there.
   * Resolves with the folder written, or null when the operator cancelled the dialog.
   */
  saveExport?(jobId: string): Promise<{ path: string } | null>;
}

declare global {
  interface Window {
    vigilHost?: VigilHost;
  }
}

export function getHost(): VigilHost | undefined {
  return typeof window === 'undefined' ? undefined : window.vigilHost;
}
