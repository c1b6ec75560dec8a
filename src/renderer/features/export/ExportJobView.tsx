// The export dialog once the job exists: progress, the reason on failure, cancel, and when
// it is done the fingerprint and the way out (download link in a browser, Save… on the desktop).
import { isExportActive, type ExportJob } from '../../../shared/exports';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { formatBytes, formatFingerprint, progressLine } from './export-form';

export type Problem = { code: string; message: string };

export interface JobViewProps {
  job: ExportJob;
  client: ApiClient;
  canSave: boolean;
  saved: string | null;
  error: Problem | null;
  onCancel(): void;
  onSave(): void;
  /** Back to the form, as it was, after a failure or a cancel. */
  onRetry(): void;
  onClose(): void;
}

export function JobView({ job, client, canSave, saved, error, onCancel, onSave, onRetry, onClose }: JobViewProps) {
  const active = isExportActive(job);
  return (
    <div className="export-job">
      <div className="export-title">{job.title}</div>
      <div className="export-status" data-testid="export-status" data-state={job.state}>
        {progressLine(job)}
      </div>
      {active && <progress className="export-progress" data-testid="export-progress" max={1} value={job.progress} />}
      {job.reason && job.state !== 'done' && <ProblemBox problem={{ code: job.reason, message: job.message ?? describeCode(job.reason) }} testId="export-failure" />}
      {job.state === 'done' && (
        <>
          <dl className="export-facts">
            <dt>Files</dt>
            <dd>
              {job.files ?? '?'} · {job.bytes === null ? '?' : formatBytes(job.bytes)}
            </dd>
            <dt>Key fingerprint</dt>
            <dd className="export-fingerprint" data-testid="export-fingerprint" data-fingerprint={job.fingerprint ?? ''}>
              {job.fingerprint ? formatFingerprint(job.fingerprint) : '?'}
            </dd>
          </dl>
          <p className="muted">
            Compare the fingerprint with the one this site published. <code>npm run verify-export -- &lt;folder&gt;</code> checks every file.
          </p>
        </>
      )}
      {saved && (
        <div className="export-saved" data-testid="export-saved">
          Saved to {saved}
        </div>
      )}
      {error && <ProblemBox problem={error} testId="export-error" />}
      <div className="export-buttons">
        {active && (
          <button type="button" className="danger" data-testid="export-cancel" onClick={onCancel}>
            Cancel export
          </button>
        )}
        {job.state === 'done' &&
          (canSave ? (
            <button type="button" className="primary" data-testid="export-save" onClick={onSave}>
              Save…
            </button>
          ) : (
            <a className="button primary" data-testid="export-download" href={client.tokenUrl(`/api/exports/${encodeURIComponent(job.id)}/archive`)} download>
              Download archive
            </a>
          ))}
        {(job.state === 'failed' || job.state === 'cancelled') && (
          <button type="button" data-testid="export-retry" onClick={onRetry}>
            Change and retry
          </button>
        )}
        {!active && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </div>
  );
}

export function ProblemBox({ problem, testId }: { problem: Problem; testId: string }) {
  const sentence = describeCode(problem.code);
  return (
    <div className="form-error" data-testid={testId} data-code={problem.code} role="alert">
      <span className="reason-code">{problem.code}</span> {sentence}
      {problem.message && problem.message !== sentence && <div className="reason-detail">{problem.message}</div>}
    </div>
  );
}
