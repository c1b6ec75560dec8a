// Object tracks: one row per track (not per frame: docs/storage.md has the numbers), with
// the track's path packed into a small BLOB for playback overlays. The tracker's updates
// arrive many times a second per camera; TracksWriter gathers them in memory and commits
// them together, so the disk sees one transaction a second rather than one per update, and
// a crash loses at most that second, never half of it.
import type { Box } from '../../../shared/detection';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Where one object was at one moment: engine wall-clock ms, a box in frame pixels. */
export interface TrackSample {
  t: number;
  box: Box;
  score: number;
}

/** What the tracker reports about one track, finished or still going. */
export interface TrackSummary {
  trackId: number;
  label: string;
  firstSeen: number;
  lastSeen: number;
  bestScore: number;
  bestBox: Box;
  bestAt: number;
  /** The whole path so far or only its newest part: the writer keeps what is newer than it has. */
  samples: readonly TrackSample[];
}

/** One write to storage: a track's summary so far, or its final one. */
export interface TrackWrite {
  cameraId: string;
  /** One tracker instance (one camera run): tracker ids restart with it, so keys include it. */
  run: string;
  track: TrackSummary;
  frameWidth: number;
  frameHeight: number;
  /** The tracker is done with this track: its row becomes final and the writer forgets it. */
  ended: boolean;
}

/** A track as stored: the tracker's summary under its storage key, with frame size and state. */
export interface StoredTrack extends Omit<TrackSummary, 'trackId' | 'samples'> {
  id: number;
  cameraId: string;
  trackKey: string;
  frameWidth: number;
  frameHeight: number;
  ended: boolean;
  snapshotRef: string | null;
  samples: TrackSample[];
}

/** A row as the writer hands it to SQLite: everything already packed. */
export interface TrackRow {
  cameraId: string;
  trackKey: string;
  label: string;
  firstSeen: number;
  lastSeen: number;
  bestScore: number;
  bestBox: Buffer;
  bestAt: number;
  frameWidth: number;
  frameHeight: number;
  ended: boolean;
  samples: Buffer;
}

export interface RangeQuery {
  /** Only these labels; all when absent. */
  labels?: readonly string[];
  /** At most this many tracks, earliest first. */
  limit?: number;
}

export function trackKey(run: string, trackId: number): string {
  return `${run}:${trackId}`;
}

// ---- Sample packing -------------------------------------------------------------------
//
// Format 1: one version byte, then per sample
//   zigzag varint  ms since the previous sample (the first: since first_seen)
//   4 zigzag varints  x1, y1, x2, y2 in whole pixels, each minus the previous sample's
//   1 byte  score x 255
// At 2 samples a second a box moves a few pixels between samples, so most deltas take one
// byte: a sample averages 3.7 bytes (docs/storage.md) where JSON takes ~60 and float32
// fields ~24. Pixels and 1/255 of score are finer than an overlay can show.

const SAMPLES_FORMAT = 1;
/** The longest a sample can take: five 53-bit varints and the score byte. */
const MAX_SAMPLE_BYTES = 5 * 8 + 1;

function writeVarint(out: Buffer, at: number, value: number): number {
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  // Bit operators while they are exact (the usual case), arithmetic beyond 2^31.
  while (rest >= 0x80000000) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  while (rest >= 0x80) {
    out[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  out[at++] = rest;
  return at;
}

/**
 * Packs a path sample by sample. The writer keeps one per open track and appends only the
 * new samples, so a flush copies bytes instead of re-encoding an hour of path every second.
 */
export class SamplePacker {
  private bytes = Buffer.allocUnsafe(256);
  private length = 1;
  private time: number;
  private readonly box: Box = [0, 0, 0, 0];

  constructor(readonly firstSeen: number) {
    this.bytes[0] = SAMPLES_FORMAT;
    this.time = Math.round(firstSeen);
  }

  append(sample: TrackSample): void {
    if (this.bytes.length - this.length < MAX_SAMPLE_BYTES) {
      const grown = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length = this.write(this.bytes, this.length, sample, true);
  }

  /** The packed path as a fresh Buffer, plus `tip` (not kept) when given. */
  pack(tip: TrackSample | null = null): Buffer {
    const out = Buffer.allocUnsafe(this.length + (tip ? MAX_SAMPLE_BYTES : 0));
    this.bytes.copy(out, 0, 0, this.length);
    const end = tip ? this.write(out, this.length, tip, false) : this.length;
    return out.subarray(0, end);
  }

  private write(out: Buffer, at: number, sample: TrackSample, keep: boolean): number {
    const t = Math.round(sample.t);
    const x1 = Math.round(sample.box[0]);
    const y1 = Math.round(sample.box[1]);
    const x2 = Math.round(sample.box[2]);
    const y2 = Math.round(sample.box[3]);
    const box = this.box;
    at = writeVarint(out, at, t - this.time);
    at = writeVarint(out, at, x1 - box[0]);
    at = writeVarint(out, at, y1 - box[1]);
    at = writeVarint(out, at, x2 - box[2]);
    at = writeVarint(out, at, y2 - box[3]);
    out[at++] = Math.round(Math.min(1, Math.max(0, sample.score)) * 255);
    if (keep) {
      this.time = t;
      box[0] = x1;
      box[1] = y1;
      box[2] = x2;
      box[3] = y2;
    }
    return at;
  }
}

export function encodeSamples(samples: readonly TrackSample[], firstSeen: number): Buffer {
  const packer = new SamplePacker(firstSeen);
  for (const sample of samples) packer.append(sample);
  return packer.pack();
}

export function decodeSamples(blob: Uint8Array, firstSeen: number): TrackSample[] {
  if (blob.length === 0) return [];
  if (blob[0] !== SAMPLES_FORMAT) throw new Error(`track samples in format ${blob[0]}, this build reads ${SAMPLES_FORMAT}`);
  let at = 1;
  const read = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = blob[at++];
      if (byte === undefined) throw new Error('track samples cut short');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  };
  const samples: TrackSample[] = [];
  let t = Math.round(firstSeen);
  let box: Box = [0, 0, 0, 0];
  while (at < blob.length) {
    t += read();
    box = [box[0] + read(), box[1] + read(), box[2] + read(), box[3] + read()];
    const score = blob[at++];
    if (score === undefined) throw new Error('track samples cut short');
    samples.push({ t, box, score: score / 255 });
  }
  return samples;
}

function encodeBox(box: Box): Buffer {
  const out = Buffer.alloc(8);
  // int16 holds every pixel of an 8192-wide picture, and a box a little outside it.
  box.forEach((value, i) => out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(value))), i * 2));
  return out;
}

function decodeBox(blob: Buffer): Box {
  return [blob.readInt16LE(0), blob.readInt16LE(2), blob.readInt16LE(4), blob.readInt16LE(6)];
}

// ---- Repository -----------------------------------------------------------------------

/**
 * Tracks longer than this are found through the partial index tracks_camera_long (the
 * constant must match migration 2 literally, or SQLite will not use that index).
 */
const LONG_TRACK_MS = 600_000;

interface Row {
  id: number;
  camera_id: string;
  track_key: string;
  label: string;
  first_seen: number;
  last_seen: number;
  best_score: number;
  best_box: Buffer;
  best_at: number;
  frame_w: number;
  frame_h: number;
  ended: number;
  snapshot_ref: string | null;
  samples: Buffer;
}

function toTrack(row: Row): StoredTrack {
  return {
    id: row.id,
    cameraId: row.camera_id,
    trackKey: row.track_key,
    label: row.label,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    bestScore: row.best_score,
    bestBox: decodeBox(row.best_box),
    bestAt: row.best_at,
    frameWidth: row.frame_w,
    frameHeight: row.frame_h,
    ended: row.ended === 1,
    snapshotRef: row.snapshot_ref,
    samples: decodeSamples(row.samples, row.first_seen),
  };
}

/**
 * The tracks of one camera that overlap [@from, @to]: those that started in the range or up
 * to LONG_TRACK_MS before it (an index range on first_seen), plus the few longer ones that
 * started earlier (the partial index). The two parts never overlap. INDEXED BY pins both:
 * left alone, the planner may scan tracks_camera_time from the beginning of time for the
 * second part just to get it in first_seen order.
 */
function overlapping(columns: string): string {
  const labels = `(@labels IS NULL OR label IN (SELECT value FROM json_each(@labels)))`;
  return `
    SELECT ${columns} FROM tracks INDEXED BY tracks_camera_time
     WHERE camera_id = @camera AND first_seen >= @from - ${LONG_TRACK_MS} AND first_seen <= @to AND last_seen >= @from AND ${labels}
    UNION ALL
    SELECT ${columns} FROM tracks INDEXED BY tracks_camera_long
     WHERE camera_id = @camera AND last_seen - first_seen > ${LONG_TRACK_MS} AND first_seen < @from - ${LONG_TRACK_MS} AND last_seen >= @from AND ${labels}`;
}

/** Exported for the query-plan test. Parameters: @camera, @from, @to, @labels (JSON array or null), @limit. */
export const TRACKS_IN_RANGE_SQL = `SELECT * FROM (${overlapping('*')}) ORDER BY first_seen, id LIMIT @limit`;
const COUNT_BY_LABEL_SQL = `SELECT label, COUNT(*) AS n FROM (${overlapping('label')}) GROUP BY label ORDER BY n DESC, label`;

export class TracksRepo {
  private readonly upsert: Statement;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO tracks (camera_id, track_key, label, first_seen, last_seen, best_score, best_box, best_at, frame_w, frame_h, ended, samples)
       VALUES (@cameraId, @trackKey, @label, @firstSeen, @lastSeen, @bestScore, @bestBox, @bestAt, @frameWidth, @frameHeight, @ended, @samples)
       ON CONFLICT (camera_id, track_key) DO UPDATE SET
         label = excluded.label, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
         best_score = excluded.best_score, best_box = excluded.best_box, best_at = excluded.best_at,
         frame_w = excluded.frame_w, frame_h = excluded.frame_h, ended = excluded.ended, samples = excluded.samples`,
    );
  }

  /** Inserts or updates every row in one transaction: all of them commit, or none. */
  upsertMany(rows: readonly TrackRow[]): void {
    this.db.transaction(() => {
      for (const row of rows) this.upsert.run({ ...row, ended: row.ended ? 1 : 0 });
    })();
  }

  get(cameraId: string, key: string): StoredTrack | null {
    const row = this.db.prepare('SELECT * FROM tracks WHERE camera_id = ? AND track_key = ?').get(cameraId, key) as Row | undefined;
    return row ? toTrack(row) : null;
  }

  /** Tracks of one camera that overlap [fromMs, toMs], earliest first, samples decoded. */
  tracksInRange(cameraId: string, fromMs: number, toMs: number, query: RangeQuery = {}): StoredTrack[] {
    const rows = this.db
      .prepare(TRACKS_IN_RANGE_SQL)
      .all({ camera: cameraId, from: fromMs, to: toMs, labels: query.labels ? JSON.stringify(query.labels) : null, limit: query.limit ?? -1 }) as Row[];
    return rows.map(toTrack);
  }

  /** How many tracks of each label overlap [fromMs, toMs], most frequent first. */
  countByLabel(cameraId: string, fromMs: number, toMs: number): Record<string, number> {
    const rows = this.db
      .prepare(COUNT_BY_LABEL_SQL)
      .all({ camera: cameraId, from: fromMs, to: toMs, labels: null }) as { label: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.label, row.n]));
  }

  /** Records where the track's best snapshot was saved; false when the track is not stored (yet). */
  setSnapshotRef(cameraId: string, key: string, ref: string | null): boolean {
    return this.db.prepare('UPDATE tracks SET snapshot_ref = ? WHERE camera_id = ? AND track_key = ?').run(ref, cameraId, key).changes === 1;
  }

  /**
   * Marks every track still open as ended. Called at start-up: whatever a previous run left
   * open (a crash, a power cut) will never be updated again.
   */
  endOpenTracks(): number {
    return this.db.prepare('UPDATE tracks SET ended = 1 WHERE ended = 0').run().changes;
  }
}

// ---- Writer ---------------------------------------------------------------------------

export interface TracksWriterOptions {
  /** Pending changes are committed this long after the first of them (default 1000 ms). */
  flushIntervalMs?: number;
  /** ...or as soon as this many tracks have changes (default 500). */
  maxPending?: number;
  /**
   * Samples kept per track; beyond it every other one is dropped, so an hour-long track
   * keeps its whole path at a lower rate and its row stays small (default 1200, 10 min at 2/s).
   */
  maxSamples?: number;
  /** An open track not updated for this long is closed: its tracker is gone (default 10 min). */
  staleAfterMs?: number;
  /** Where failures of timed flushes go (the changes stay pending and are retried). */
  onError?: (error: Error) => void;
  now?: () => number;
}

interface OpenTrack {
  row: Omit<TrackRow, 'samples' | 'bestBox'> & { bestBox: Box };
  /** The kept path, packed as it grows. */
  grid: TrackSample[];
  packer: SamplePacker;
  /** The newest position when it is too close to the last kept sample: replaced by the next. */
  tip: TrackSample | null;
  /** Samples closer together than this are not kept, once the track has been thinned. */
  minGapMs: number;
  updatedAt: number;
}

export class TracksWriter {
  private readonly open = new Map<string, OpenTrack>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxPending: number;
  private readonly maxSamples: number;
  private readonly staleAfterMs: number;
  private readonly onError: (error: Error) => void;
  private readonly now: () => number;
  /** Committed transactions, rows written, and flushes that failed (and were kept for retry). */
  readonly stats = { flushes: 0, rows: 0, failures: 0 };

  constructor(
    private readonly repo: TracksRepo,
    options: TracksWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxPending = options.maxPending ?? 500;
    this.maxSamples = Math.max(2, options.maxSamples ?? 1200);
    this.staleAfterMs = options.staleAfterMs ?? 600_000;
    this.onError = options.onError ?? ((error) => console.error(`tracks: ${error.message}`));
    this.now = options.now ?? Date.now;
  }

  /** Tracks with changes not yet committed. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Takes one tracker update; commits when the batch is full, else within flushIntervalMs. */
  write(update: TrackWrite): void {
    if (this.closed) throw new Error('TracksWriter is closed');
    const { track } = update;
    const key = trackKey(update.run, track.trackId);
    const id = `${update.cameraId}\n${key}`;
    let open = this.open.get(id);
    const row = {
      cameraId: update.cameraId,
      trackKey: key,
      label: track.label,
      firstSeen: track.firstSeen,
      lastSeen: track.lastSeen,
      bestScore: track.bestScore,
      bestBox: [...track.bestBox] as Box,
      bestAt: track.bestAt,
      frameWidth: update.frameWidth,
      frameHeight: update.frameHeight,
      ended: (open?.row.ended ?? false) || update.ended,
    };
    if (open) open.row = row;
    else this.open.set(id, (open = { row, grid: [], packer: new SamplePacker(row.firstSeen), tip: null, minGapMs: 0, updatedAt: 0 }));
    // A tracker that revised when the track began: the packed times are relative to it.
    if (open.packer.firstSeen !== row.firstSeen) this.repack(open);
    open.updatedAt = this.now();
    this.mergeSamples(open, track.samples);
    this.pending.add(id);
    if (this.pending.size >= this.maxPending) this.flushOrReport();
    else this.timer ??= setTimeout(() => this.flushOrReport(), this.flushIntervalMs).unref();
  }

  /** Closes every open track of a camera (it stopped, or its tracker was replaced). */
  endCamera(cameraId: string): void {
    for (const [id, open] of this.open) {
      if (open.row.cameraId !== cameraId || open.row.ended) continue;
      open.row.ended = true;
      this.pending.add(id);
    }
    if (this.pending.size > 0) this.timer ??= setTimeout(() => this.flushOrReport(), this.flushIntervalMs).unref();
  }

  /**
   * Commits every pending change in one transaction and returns how many rows it wrote.
   * Throws when the transaction fails; the changes then stay pending for the next flush.
   */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closeStale();
    if (this.pending.size === 0) return 0;
    const ids = [...this.pending];
    const rows = ids.map((id) => {
      const { row, packer, tip } = this.open.get(id)!;
      return { ...row, bestBox: encodeBox(row.bestBox), samples: packer.pack(tip) };
    });
    try {
      this.repo.upsertMany(rows);
    } catch (error) {
      this.stats.failures++;
      if (!this.closed) this.timer = setTimeout(() => this.flushOrReport(), this.flushIntervalMs).unref();
      throw error;
    }
    this.stats.flushes++;
    this.stats.rows += rows.length;
    for (const id of ids) {
      this.pending.delete(id);
      if (this.open.get(id)!.row.ended) this.open.delete(id);
    }
    return rows.length;
  }

  /** Commits what is pending and stops; later writes throw. */
  close(): void {
    this.closed = true;
    try {
      this.flush();
    } finally {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private flushOrReport(): void {
    try {
      this.flush();
    } catch (error) {
      this.onError(error as Error);
    }
  }

  /** Appends the samples newer than the last one kept: whole paths and deltas both work. */
  private mergeSamples(open: OpenTrack, incoming: readonly TrackSample[]): void {
    const last = (open.tip ?? open.grid.at(-1))?.t ?? Number.NEGATIVE_INFINITY;
    let start = incoming.length;
    while (start > 0 && incoming[start - 1]!.t > last) start--;
    for (let i = start; i < incoming.length; i++) {
      const { t, box, score } = incoming[i]!;
      this.keep(open, { t, box: [box[0], box[1], box[2], box[3]], score });
    }
    if (open.grid.length < this.maxSamples) return;
    // Too long: keep every other sample and from now on only samples that far apart, so an
    // hour-long track keeps its whole path at an even, lower rate. The newest position stays.
    const newest = open.tip ?? open.grid.at(-1)!;
    open.grid = open.grid.filter((_, i) => i % 2 === 0);
    open.minGapMs = (open.grid.at(-1)!.t - open.grid[0]!.t) / Math.max(1, open.grid.length - 1);
    open.tip = null;
    if (open.grid.at(-1) !== newest) this.keep(open, newest, false);
    this.repack(open);
  }

  /** Adds a sample to the grid, or holds it as the tip when it is too close to the last one. */
  private keep(open: OpenTrack, sample: TrackSample, pack = true): void {
    const previous = open.grid.at(-1);
    if (previous && sample.t - previous.t < open.minGapMs) {
      open.tip = sample;
      return;
    }
    open.grid.push(sample);
    open.tip = null;
    if (pack) open.packer.append(sample);
  }

  private repack(open: OpenTrack): void {
    open.packer = new SamplePacker(open.row.firstSeen);
    for (const sample of open.grid) open.packer.append(sample);
  }

  private closeStale(): void {
    const cutoff = this.now() - this.staleAfterMs;
    for (const [id, open] of this.open) {
      if (open.row.ended || open.updatedAt > cutoff || this.pending.has(id)) continue;
      open.row.ended = true;
      this.pending.add(id);
    }
  }
}
