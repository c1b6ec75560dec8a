import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_ANALYSIS_BYTES, type AnalysisJob } from '../../../shared/analysis';
import type { ApiClient } from '../../api/client';
import { ApiError, describeCode } from '../../api/errors';
import type { EngineListener } from '../../app/useEngine';
import { downloadName, isActive, labelSummary, mergeJobs, upsertJob, type LabelCount } from './jobs';
import { saveText } from './save-file';

/** While jobs run, the list is re-read this often in case an event was missed. */
const POLL_MS = 5000;
/** A result can be large (every frame's boxes): give it longer than ordinary requests. */
const RESULT_TIMEOUT_MS = 120_000;

export interface Problem {
  code: string;
  message: string;
}

export type Summary = { state: 'loading' } | { state: 'ready'; labels: LabelCount[] } | { state: 'failed'; problem: Problem };

export interface AnalysisJobs {
  jobs: AnalysisJob[];
  listError: Problem | null;
  /** The file being uploaded now. */
  uploading: { name: string; size: number } | null;
  uploadError: Problem | null;
  /** Tracks per label of done jobs, read from their results while the panel is open. */
  summaries: ReadonlyMap<string, Summary>;
  /** Job ids whose result is being fetched for download. */
  downloading: ReadonlySet<string>;
  downloadError: { id: string; problem: Problem } | null;
  upload(file: File, fps: number): Promise<void>;
  download(job: AnalysisJob): Promise<void>;
}

function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : describeCode('INTERNAL') };
}

/**
 * The analysis jobs: read from the engine when the panel opens (and while some run), kept
 * current by `analysis.updated` events; uploads and result downloads.
 */
export function useAnalysisJobs(client: ApiClient, listen: (listener: EngineListener) => () => void, open: boolean): AnalysisJobs {
  const [jobs, setJobs] = useState<AnalysisJob[]>([]);
  const [listError, setListError] = useState<Problem | null>(null);
  const [uploading, setUploading] = useState<{ name: string; size: number } | null>(null);
  const [uploadError, setUploadError] = useState<Problem | null>(null);
  const [summaries, setSummaries] = useState<ReadonlyMap<string, Summary>>(new Map());
  const [downloading, setDownloading] = useState<ReadonlySet<string>>(new Set());
  const [downloadError, setDownloadError] = useState<{ id: string; problem: Problem } | null>(null);
  const openRef = useRef(open);
  openRef.current = open;

  const refresh = useCallback(async () => {
    try {
      const list = await client.request('GET /api/analysis', {}, undefined);
      setJobs((current) => mergeJobs(current, list));
      setListError(null);
    } catch (err) {
      setListError(toProblem(err));
    }
  }, [client]);

  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'analysis.updated') setJobs((current) => upsertJob(current, event.job));
        else if (event.type === 'hello' && openRef.current) void refresh();
      }),
    [listen, refresh],
  );

  const anyActive = jobs.some(isActive);
  useEffect(() => {
    if (!open) return;
    void refresh();
    if (!anyActive) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [open, anyActive, refresh]);

  // Summaries of done jobs, one result at a time.
  const summaryLoading = [...summaries.values()].some((s) => s.state === 'loading');
  const nextSummary = open && !summaryLoading ? jobs.find((j) => j.state === 'done' && !summaries.has(j.id)) : undefined;
  const nextSummaryId = nextSummary?.id;
  useEffect(() => {
    if (!nextSummaryId) return;
    setSummaries((m) => new Map(m).set(nextSummaryId, { state: 'loading' }));
    client.request('GET /api/analysis/:id', { id: nextSummaryId }, undefined, { timeoutMs: RESULT_TIMEOUT_MS }).then(
      (job) => {
        const summary: Summary = job.result
          ? { state: 'ready', labels: labelSummary(job.result) }
          : { state: 'failed', problem: { code: 'BAD_RESPONSE', message: 'The engine has no result for this job.' } };
        setSummaries((m) => new Map(m).set(nextSummaryId, summary));
      },
      (err: unknown) => setSummaries((m) => new Map(m).set(nextSummaryId, { state: 'failed', problem: toProblem(err) })),
    );
  }, [client, nextSummaryId]);

  const upload = useCallback(
    async (file: File, fps: number) => {
      setUploadError(null);
      if (file.size > MAX_ANALYSIS_BYTES) {
        setUploadError({ code: 'ANALYSIS_TOO_LARGE', message: describeCode('ANALYSIS_TOO_LARGE') });
        return;
      }
      setUploading({ name: file.name, size: file.size });
      try {
        const job = await client.request('POST /api/analysis', {}, file, { query: { name: file.name, fps } });
        setJobs((current) => upsertJob(current, job));
      } catch (err) {
        setUploadError(toProblem(err));
      } finally {
        setUploading(null);
      }
    },
    [client],
  );

  const download = useCallback(
    async (job: AnalysisJob) => {
      setDownloadError(null);
      setDownloading((s) => new Set(s).add(job.id));
      try {
        const full = await client.request('GET /api/analysis/:id', { id: job.id }, undefined, { timeoutMs: RESULT_TIMEOUT_MS });
        if (!full.result) throw new ApiError('BAD_RESPONSE', 'The engine has no result for this job.');
        saveText(downloadName(job.fileName), JSON.stringify(full.result));
        const labels = labelSummary(full.result);
        setSummaries((m) => new Map(m).set(job.id, { state: 'ready', labels }));
      } catch (err) {
        setDownloadError({ id: job.id, problem: toProblem(err) });
      } finally {
        setDownloading((s) => {
          const next = new Set(s);
          next.delete(job.id);
          return next;
        });
      }
    },
    [client],
  );

  return { jobs, listError, uploading, uploadError, summaries, downloading, downloadError, upload, download };
}
