// Preferences of the desktop shell only (window bounds, grid layout). Operational settings
// live in the engine's SQLite so that both hosts share them.
import Store from 'electron-store';

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class DesktopPrefs {
  private readonly store = new Store<{ window?: Bounds; renderer: Record<string, unknown> }>({ name: 'desktop-prefs', defaults: { renderer: {} } });

  windowBounds(): Bounds | undefined {
    return this.store.get('window');
  }

  setWindowBounds(bounds: Bounds): void {
    this.store.set('window', bounds);
  }

  get(key: string): unknown {
    return this.store.get('renderer')[key];
  }

  set(key: string, value: unknown): void {
    // Keys and values come from the renderer: keep them small and plain.
    if (!/^[a-z0-9._-]{1,64}$/i.test(key)) throw new Error('invalid preference key');
    const json = JSON.stringify(value ?? null);
    if (json.length > 16 * 1024) throw new Error('preference value too large');
    this.store.set('renderer', { ...this.store.get('renderer'), [key]: JSON.parse(json) });
  }
}
