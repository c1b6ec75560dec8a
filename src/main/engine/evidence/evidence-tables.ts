// The tracks and the audit trail as they go into an export: JSON for software (exact
// values, every field), CSV for the person who opens the folder in a spreadsheet.
import type { StoredTrack } from '../store/tracks-repo';

/** A track as the store returns it; only what the tables show is required. */
export type EvidenceTrack = Pick<StoredTrack, 'cameraId' | 'label' | 'firstSeen' | 'lastSeen' | 'bestScore' | 'bestBox'> &
  Partial<Pick<StoredTrack, 'trackKey' | 'bestAt' | 'frameWidth' | 'frameHeight' | 'samples'>>;

/** One audit entry: who did what to the incident, and when (wall-clock ms). */
export interface EvidenceAction {
  at: number;
  who: string;
  what: string;
  details?: string | Record<string, unknown> | null;
}

export interface CameraNames {
  get(id: string): string | undefined;
}

export function tracksJson(tracks: readonly EvidenceTrack[], names: CameraNames): string {
  const rows = [...tracks]
    .sort((a, b) => a.firstSeen - b.firstSeen || a.cameraId.localeCompare(b.cameraId))
    .map((t) => ({
      cameraId: t.cameraId,
      cameraName: names.get(t.cameraId) ?? null,
      trackKey: t.trackKey ?? null,
      label: t.label,
      firstSeen: t.firstSeen,
      firstSeenIso: iso(t.firstSeen),
      lastSeen: t.lastSeen,
      lastSeenIso: iso(t.lastSeen),
      bestScore: t.bestScore,
      bestBox: t.bestBox,
      bestAt: t.bestAt ?? null,
      frameWidth: t.frameWidth ?? null,
      frameHeight: t.frameHeight ?? null,
      samples: t.samples ?? [],
    }));
  return `${JSON.stringify({ tracks: rows }, null, 2)}\n`;
}

export function tracksCsv(tracks: readonly EvidenceTrack[], names: CameraNames): string {
  const header = ['camera_id', 'camera', 'track', 'label', 'first_seen', 'last_seen', 'best_score', 'box_x1', 'box_y1', 'box_x2', 'box_y2', 'frame_width', 'frame_height'];
  const rows = [...tracks]
    .sort((a, b) => a.firstSeen - b.firstSeen || a.cameraId.localeCompare(b.cameraId))
    .map((t) => [
      t.cameraId,
      names.get(t.cameraId) ?? '',
      t.trackKey ?? '',
      t.label,
      iso(t.firstSeen),
      iso(t.lastSeen),
      Number(t.bestScore.toFixed(3)),
      ...t.bestBox.map((v) => Math.round(v)),
      t.frameWidth ?? '',
      t.frameHeight ?? '',
    ]);
  return csv(header, rows);
}

export function actionsJson(actions: readonly EvidenceAction[]): string {
  const rows = [...actions].sort((a, b) => a.at - b.at).map((a) => ({ at: a.at, atIso: iso(a.at), who: a.who, what: a.what, details: a.details ?? null }));
  return `${JSON.stringify({ actions: rows }, null, 2)}\n`;
}

export function actionsCsv(actions: readonly EvidenceAction[]): string {
  const rows = [...actions]
    .sort((a, b) => a.at - b.at)
    .map((a) => [iso(a.at), a.who, a.what, a.details == null ? '' : typeof a.details === 'string' ? a.details : JSON.stringify(a.details)]);
  return csv(['time', 'who', 'what', 'details'], rows);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// RFC 4180 with CRLF, and a UTF-8 byte order mark: without it Excel reads camera names and
// operator notes as the local code page. Text that begins like a formula (= + - @) gets a
// leading apostrophe so that opening the file cannot run it (CSV injection); the JSON
// beside it keeps the exact text.
function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => cells.map(cell).join(',');
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
