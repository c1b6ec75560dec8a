// File names inside an export folder: it is copied to USB sticks and evidence shares with
// file systems of every kind, so names are plain ASCII and unique regardless of case.

/** Names that are safe on every file system a USB stick may carry: no separators, no reserved characters. */
export function safeName(name: string, fallback: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return safe || fallback;
}

export class UniqueNames {
  private readonly used = new Set<string>();

  take(stem: string, extension: string): string {
    const dot = extension ? -1 : stem.lastIndexOf('.');
    const base = dot > 0 ? stem.slice(0, dot) : stem;
    const ext = dot > 0 ? stem.slice(dot) : extension;
    let name = `${base}${ext}`;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${base}-${n}${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}
