import { useState, type FormEvent } from 'react';
import type { AnalysisJob, AnalysisState } from '../../../shared/analysis';
import { describeCode } from '../../api/errors';
import { ANALYSIS_FPS, formatBytes, formatProgress, formatSummary, isActive, parseFps } from './jobs';
import type { AnalysisJobs, Problem, Summary } from './useAnalysisJobs';

const STATE_LABELS: Record<AnalysisState, string> = { queued: 'Queued', running: 'Analysing', done: 'Done', failed: 'Failed' };

export function AnalysisPanel({ analysis, onClose }: { analysis: AnalysisJobs; onClose(): void }) {
  return (
    <aside className="side-panel analyse-panel" data-testid="analyse-panel" aria-label="Analyse footage">
      <div className="panel-head">
        <h2>Analyse footage</h2>
        <button type="button" className="icon" data-testid="analyse-close" onClick={onClose} title="Close">
          ×
        </button>
      </div>
      <p className="muted panel-intro">Run the detector over a video file (an export from another recorder). The result downloads as JSON.</p>
      <UploadForm analysis={analysis} />
      {analysis.listError && <ProblemLine problem={analysis.listError} testId="analysis-list-error" />}
      <ul className="job-list" data-testid="analysis-jobs">
        {analysis.jobs.map((job) => (
          <JobRow key={job.id} job={job} summary={analysis.summaries.get(job.id)} analysis={analysis} />
        ))}
        {analysis.jobs.length === 0 && !analysis.listError && <li className="muted empty-list">No analyses yet.</li>}
      </ul>
    </aside>
  );
}

function UploadForm({ analysis }: { analysis: AnalysisJobs }) {
  const [file, setFile] = useState<File | null>(null);
  const [fpsText, setFpsText] = useState(String(ANALYSIS_FPS.default));
  const fps = parseFps(fpsText);
  const busy = analysis.uploading !== null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || fps === null || busy) return;
    void analysis.upload(file, fps);
  };

  return (
    <form className="analyse-form" data-testid="analyse-form" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Video file</span>
        <input type="file" data-testid="analyse-file" disabled={busy} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </label>
      <label className={`field inline${fps === null ? ' invalid' : ''}`}>
        <span className="field-label">Frames analysed a second</span>
        <input
          type="number"
          className="fps-input"
          data-testid="analyse-fps"
          min={ANALYSIS_FPS.min}
          max={ANALYSIS_FPS.max}
          step={1}
          value={fpsText}
          disabled={busy}
          onChange={(e) => setFpsText(e.currentTarget.value)}
        />
        {fps === null && <span className="field-error">{`A whole number from ${ANALYSIS_FPS.min} to ${ANALYSIS_FPS.max}.`}</span>}
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="analyse-submit" disabled={!file || fps === null || busy}>
          {busy ? 'Uploading…' : 'Analyse'}
        </button>
      </div>
      {analysis.uploading && (
        <div className="upload-status" data-testid="analyse-uploading">
          <progress /> Uploading {analysis.uploading.name} ({formatBytes(analysis.uploading.size)})
        </div>
      )}
      {analysis.uploadError && <ProblemLine problem={analysis.uploadError} testId="analyse-error" />}
    </form>
  );
}

function JobRow({ job, summary, analysis }: { job: AnalysisJob; summary: Summary | undefined; analysis: AnalysisJobs }) {
  const downloading = analysis.downloading.has(job.id);
  const downloadProblem = analysis.downloadError?.id === job.id ? analysis.downloadError.problem : null;
  return (
    <li className={`job job-${job.state}`} data-testid="analysis-job" data-state={job.state} data-job-id={job.id}>
      <div className="job-head">
        <span className="job-name" title={job.fileName}>
          {job.fileName}
        </span>
        <span className={`job-state job-state-${job.state}`} data-testid="analysis-state">
          {STATE_LABELS[job.state] ?? job.state}
        </span>
      </div>
      {isActive(job) && (
        <div className="job-progress">
          <progress max={1} value={Math.max(0, Math.min(1, job.progress || 0))} data-testid="analysis-progress" data-progress={job.progress} />
          <span>{formatProgress(job.progress)}</span>
        </div>
      )}
      <div className="job-counts muted" data-testid="analysis-counts" data-frames={job.frames} data-tracks={job.tracks}>
        {job.frames} frames · {job.tracks} tracks · {new Date(job.createdAt).toLocaleString()}
      </div>
      {job.error && <ProblemLine problem={job.error} testId="analysis-error" />}
      {job.state === 'done' && (
        <>
          <SummaryLine summary={summary} />
          <div className="job-actions">
            <button type="button" data-testid="analysis-download" disabled={downloading} onClick={() => void analysis.download(job)}>
              {downloading ? 'Preparing…' : 'Download JSON'}
            </button>
          </div>
          {downloadProblem && <ProblemLine problem={downloadProblem} testId="analysis-download-error" />}
        </>
      )}
    </li>
  );
}

function SummaryLine({ summary }: { summary: Summary | undefined }) {
  if (!summary || summary.state === 'loading') return <div className="job-summary muted">Reading the result…</div>;
  if (summary.state === 'failed') return <div className="job-summary muted" title={summary.problem.message}>{`Summary unavailable (${summary.problem.code})`}</div>;
  return (
    <div className="job-summary" data-testid="analysis-summary" data-labels={summary.labels.map((l) => `${l.label}:${l.tracks}`).join(',')}>
      {summary.labels.length === 0 ? (
        formatSummary(summary.labels)
      ) : (
        <ul className="label-counts">
          {summary.labels.map((l) => (
            <li key={l.label} data-label={l.label} data-tracks={l.tracks}>
              <span className="label-count">{l.tracks}</span> {l.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A reason code, its sentence, and the engine's own message when it says more. */
function ProblemLine({ problem, testId }: { problem: Problem; testId: string }) {
  const sentence = describeCode(problem.code);
  const detail = problem.message && problem.message !== sentence ? problem.message : null;
  return (
    <div className="form-error" data-testid={testId} data-code={problem.code} role="alert">
      <span className="reason-code">{problem.code}</span> {sentence}
      {detail && <div className="reason-detail" title={detail}>{detail}</div>}
    </div>
  );
}
