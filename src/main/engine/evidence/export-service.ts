// Export jobs: what the export dialog starts and watches. One export runs at a time (each
// reads gigabytes and runs FFmpeg; two at once would only both be slower, and slow down
// recording), the rest wait in a queue. Each job writes <data dir>/exports/<job id>; a
// finished folder is served as a ZIP or copied out by the desktop host, and found again after
// a restart. Exporting an incident is written into its audit trail (who, when, which export).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent } from '../../../shared/api';
import { EXPORT_MAX_RANGE_MS, INCIDENT_MARGIN_MS, type ExportCreateParsed, type ExportJob } from '../../../shared/exports';
import type { Incident, IncidentAction } from '../../../shared/incidents';
import type { ReasonCode } from '../../../shared/reasons';
import { EngineError } from '../engine-error';
import { walkFolder } from './evidence-manifest';
import { ExportError } from './export-error';
import { exportEvidence } from './export-evidence';
import { archiveFileName, EXPORT_ID, jobFromManifest, newExportId, scanExports, summarizeExport } from './export-folders';
import { cameraSegments, collectExportInputs, type ExportSources } from './export-inputs';
import { EvidenceKeyError, type InstallationKey } from './installation-key';
import type { ZipSource } from './zip-archive';

export interface ExportServiceDeps {
  dataDir: string;
  ffmpegPath: string | null;
  /** The installation's signing key; loaded when the first export runs (it may be damaged). */
  key(): InstallationKey;
  exporterVersion: string;
  sources: ExportSources;
  incidents: {
    get(id: string): Incident & { actions: IncidentAction[] };
    recordExport(id: string, who: string, note: string): void;
  };
  log(line: string): void;
  now?: () => number;
  /** Progress events at most this often per job (default 250 ms); state changes always at once. */
  progressEveryMs?: number;
}

interface Entry {
  job: ExportJob;
  abort: AbortController;
  /** Settles when the job has stopped running (done, failed or cancelled). */
  finished: Promise<void>;
  settle(): void;
  lastEmit: number;
  timer: NodeJS.Timeout | null;
}

export class ExportService extends EventEmitter<{ event: [EngineEvent] }> {
  readonly root: string;
  private readonly jobs = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running: Entry | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: ExportServiceDeps) {
    super();
    this.root = join(deps.dataDir, 'exports');
    this.now = deps.now ?? Date.now;
  }

  /** Lists the finished exports of earlier runs and removes what crashed exports left. */
  async start(): Promise<void> {
    mkdirSync(this.root, { recursive: true });
    for (const job of await scanExports(this.root, this.deps.log)) this.jobs.set(job.id, entry(job));
  }

  /** Checks the request and queues the job; throws EngineError for what the operator must change. */
  create(request: ExportCreateParsed): ExportJob {
    if (this.stopped) throw new EngineError('EXPORT_FAILED', 'The engine is stopping.', 503);
    if (!this.deps.ffmpegPath) throw new EngineError('FFMPEG_MISSING', undefined, 503);
    const incident = request.incidentId ? this.deps.incidents.get(request.incidentId) : null;
    const cameraIds = [...new Set([...(incident ? [incident.cameraId] : []), ...(request.cameraIds ?? [])])];
    const from = request.from ?? incident!.startedAt - INCIDENT_MARGIN_MS;
    const to = request.to ?? (incident!.endedAt ?? this.now()) + INCIDENT_MARGIN_MS;
    if (to - from > EXPORT_MAX_RANGE_MS) throw new EngineError('EXPORT_RANGE_TOO_LONG', `The range is ${Math.round((to - from) / 3600_000)} h; an export covers at most 24 h. Give from and to.`, 400);
    for (const id of cameraIds) {
      if (id !== incident?.cameraId && this.deps.sources.cameraName(id) === null) throw new EngineError('RESOURCE_NOT_FOUND', `No camera with id ${id}.`, 404);
    }
    // Said now rather than after a queue wait: the dialog can offer another range at once.
    if (cameraIds.every((id) => cameraSegments(this.deps.sources, id, from, to).length === 0)) {
      const names = cameraIds.map((id) => this.deps.sources.cameraName(id) ?? incident?.cameraName ?? id).join(', ');
      throw new EngineError('EXPORT_NO_FOOTAGE', `No recording of ${names} covers ${new Date(from).toISOString()} - ${new Date(to).toISOString()}.`, 422);
    }
    const now = this.now();
    const job: ExportJob = {
      id: newExportId(now, randomBytes(4).toString('hex')),
      state: 'queued',
      progress: 0,
      title: request.title ?? defaultTitle(incident, cameraIds.map((id) => this.deps.sources.cameraName(id) ?? id), from),
      incidentId: incident?.id ?? null,
      cameraIds,
      from,
      to,
      burnInBoxes: request.burnInBoxes,
      who: request.who,
      createdAt: now,
      finishedAt: null,
      reason: null,
      message: null,
      fingerprint: null,
      manifestSha256: null,
      files: null,
      bytes: null,
    };
    const queued = entry(job);
    this.jobs.set(job.id, queued);
    this.queue.push(queued);
    this.emitNow(queued);
    void this.pump();
    return { ...job };
  }

  /** This run's jobs and the finished exports on disk, newest first. */
  list(): ExportJob[] {
    return [...this.jobs.values()].map((e) => ({ ...e.job })).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  get(id: string): ExportJob {
    return { ...this.require(id).job };
  }

  /**
   * Cancels a queued or running job (resolves once its partial folder is gone), or deletes a
   * finished one with its folder. Returns the job as it ended; it is no longer listed after a delete.
   */
  async remove(id: string): Promise<ExportJob> {
    const found = this.require(id);
    if (found.job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(found), 1);
      this.finish(found, 'cancelled', 'EXPORT_CANCELLED', 'The export was cancelled before it started.');
      return { ...found.job };
    }
    if (found.job.state === 'running') {
      found.abort.abort();
      await found.finished;
      return { ...found.job };
    }
    await rm(this.folder(id), { recursive: true, force: true });
    this.jobs.delete(id);
    return { ...found.job };
  }

  /** A finished export's folder: for the archive and the desktop's save. EXPORT_NOT_FINISHED before. */
  finishedFolder(id: string): { job: ExportJob; folder: string } {
    const found = this.require(id);
    if (found.job.state !== 'done') throw new EngineError('EXPORT_NOT_FINISHED', `Export ${id} is ${found.job.state}; only a finished export can be downloaded or saved.`, 409);
    return { job: { ...found.job }, folder: this.folder(id) };
  }

  /** The files of a finished export as archive entries under a top folder named after the job. */
  async archive(id: string): Promise<{ fileName: string; entries: ZipSource[] }> {
    const { job, folder } = this.finishedFolder(id);
    const entries: ZipSource[] = [];
    for (const file of await walkFolder(folder)) {
      const path = join(folder, file.path);
      const facts = await stat(path);
      entries.push({ name: `${job.id}/${file.path}`, path, size: facts.size, mtime: facts.mtime });
    }
    return { fileName: archiveFileName(job), entries };
  }

  /** Cancels what runs and what waits; finished folders stay for the next run. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiting of this.queue.splice(0)) this.finish(waiting, 'cancelled', 'EXPORT_CANCELLED', 'The engine stopped before the export started.');
    const running = this.running;
    running?.abort.abort();
    await running?.finished;
  }

  private folder(id: string): string {
    return join(this.root, id);
  }

  private require(id: string): Entry {
    const found = EXPORT_ID.test(id) ? this.jobs.get(id) : undefined;
    if (!found) throw new EngineError('RESOURCE_NOT_FOUND', `No export with id ${id}.`, 404);
    return found;
  }

  private async pump(): Promise<void> {
    if (this.running || this.stopped) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    try {
      await this.run(next);
    } finally {
      this.running = null;
      void this.pump();
    }
  }

  private async run(current: Entry): Promise<void> {
    const { job } = current;
    job.state = 'running';
    this.emitNow(current);
    try {
      const incident = job.incidentId ? this.deps.incidents.get(job.incidentId) : null;
      const inputs = collectExportInputs(this.deps.sources, { cameraIds: job.cameraIds, from: job.from, to: job.to, incident });
      const manifest = await exportEvidence({
        outDir: this.folder(job.id),
        ffmpegPath: this.deps.ffmpegPath!,
        key: this.deps.key(),
        exporterVersion: this.deps.exporterVersion,
        title: job.title,
        range: { from: job.from, to: job.to },
        ...inputs,
        burnInBoxes: job.burnInBoxes,
        incidentId: job.incidentId,
        exportedBy: job.who,
        signal: current.abort.signal,
        onProgress: (fraction) => {
          job.progress = Math.max(job.progress, Math.min(fraction, 0.999));
          this.emitThrottled(current);
        },
      });
      const summary = await summarizeExport(this.folder(job.id));
      Object.assign(job, jobFromManifest(job.id, manifest, summary, { who: job.who, createdAt: job.createdAt }));
      if (job.incidentId) this.deps.incidents.recordExport(job.incidentId, job.who ?? 'vigil', `export ${job.id}, manifest SHA-256 ${summary.manifestSha256}`);
      this.finish(current, 'done', null, null);
      this.deps.log(`exports: ${job.id} done: ${summary.files} files, ${Math.round(summary.bytes / 1024)} KiB`);
    } catch (error) {
      const { code, message } = failure(error);
      if (code !== 'EXPORT_CANCELLED') this.deps.log(`exports: ${job.id} failed: ${code}: ${message}`);
      this.finish(current, code === 'EXPORT_CANCELLED' ? 'cancelled' : 'failed', code, message);
    }
  }

  private finish(current: Entry, state: ExportJob['state'], reason: ReasonCode | null, message: string | null): void {
    const { job } = current;
    job.state = state;
    job.reason = reason;
    job.message = message;
    job.finishedAt = this.now();
    if (state === 'done') job.progress = 1;
    this.emitNow(current);
    current.settle();
  }

  private emitNow(current: Entry): void {
    if (current.timer) clearTimeout(current.timer);
    current.timer = null;
    current.lastEmit = Date.now();
    this.emit('event', { type: 'export.updated', job: { ...current.job } });
  }

  private emitThrottled(current: Entry): void {
    const every = this.deps.progressEveryMs ?? 250;
    const wait = current.lastEmit + every - Date.now();
    if (wait <= 0) return this.emitNow(current);
    current.timer ??= setTimeout(() => this.emitNow(current), wait);
  }
}

function entry(job: ExportJob): Entry {
  let settle = () => {};
  const finished = new Promise<void>((resolve) => (settle = resolve));
  if (job.state === 'done') settle();
  return { job, abort: new AbortController(), finished, settle: () => settle(), lastEmit: 0, timer: null };
}

function failure(error: unknown): { code: ReasonCode; message: string } {
  if (error instanceof ExportError) return { code: error.code, message: error.message };
  if (error instanceof EvidenceKeyError) return { code: error.code, message: error.message };
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  return { code: 'EXPORT_FAILED', message: (error as Error).message ?? String(error) };
}

function defaultTitle(incident: Incident | null, cameraNames: readonly string[], from: number): string {
  const when = new Date(incident?.startedAt ?? from).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
  if (incident) return `${incident.ruleName} on ${incident.cameraName}, ${when}`;
  return `${cameraNames.join(', ')}, ${when}`;
}
