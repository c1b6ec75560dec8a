// Evidence export: the operator confirms cameras, range, title and whether boxes are burned in;
// the engine makes the signed folder (one export at a time) and reports progress by event.
// When it is done, a browser downloads it as a ZIP and the desktop copies it to a chosen folder.
import { useEffect, useState, type FormEvent } from 'react';
import type { CameraView } from '../../../shared/cameras';
import { isExportActive, type ExportJob } from '../../../shared/exports';
import { ApiError, type ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { getHost } from '../../api/host';
import type { EngineListener } from '../../app/useEngine';
import { parseOperatorName } from '../incidents/format';
import { PREF_OPERATOR } from '../incidents/useIncidents';
import { checkExportForm, formatSpan, fromLocalInput, toLocalInput, type FormProblem } from './export-form';
import { JobView, ProblemBox, type Problem } from './ExportJobView';

export interface ExportDialogProps {
  client: ApiClient;
  listen(listener: EngineListener): () => void;
  /**
   * What to export at first; the operator may change cameras and range. With an incident, the
   * first camera is the incident's own and stays chosen.
   */
  initial: { incidentId?: string; cameraIds: string[]; from: number; to: number };
  onClose(): void;
}

/** While the job is active, events carry its progress; a slow poll covers a reconnecting event socket. */
const POLL_MS = 3000;

function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return { code: err.code, message: err.message || describeCode(err.code) };
  return { code: 'INTERNAL', message: String(err) };
}

export function ExportDialog({ client, listen, initial, onClose }: ExportDialogProps) {
  const [cameras, setCameras] = useState<CameraView[] | null>(null);
  const [cameraIds, setCameraIds] = useState<string[]>(() => [...new Set(initial.cameraIds)]);
  const [from, setFrom] = useState(() => toLocalInput(initial.from));
  const [to, setTo] = useState(() => toLocalInput(initial.to));
  const [title, setTitle] = useState('');
  const [who, setWho] = useState('');
  const [burnIn, setBurnIn] = useState(false);
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ExportJob | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const host = getHost();
  const locked = initial.incidentId ? initial.cameraIds[0] : undefined;

  useEffect(() => {
    let live = true;
    client.request('GET /api/cameras', {}, undefined).then(
      (list) => live && setCameras(list),
      () => live && setCameras([]),
    );
    client.prefs
      .get(PREF_OPERATOR)
      .then((name) => live && setWho((current) => current || (parseOperatorName(name) ?? '')))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client]);

  const jobId = job?.id;
  const active = job ? isExportActive(job) : false;
  useEffect(() => {
    if (!jobId) return;
    return listen((event) => {
      if (event.type === 'export.updated' && event.job.id === jobId) setJob(event.job);
    });
  }, [listen, jobId]);
  useEffect(() => {
    if (!jobId || !active) return;
    const timer = setInterval(() => {
      client.request('GET /api/exports/:id', { id: jobId }, undefined).then(
        (fresh) => setJob((current) => (current && current.id === fresh.id && (fresh.progress >= current.progress || !isExportActive(fresh)) ? fresh : current)),
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, jobId, active]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !active) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = checkExportForm({ cameraIds, from, to, title, who });
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const name = who.trim();
      client.prefs.set(PREF_OPERATOR, name).catch(() => undefined);
      const created = await client.request(
        'POST /api/exports',
        {},
        {
          ...(initial.incidentId ? { incidentId: initial.incidentId, cameraIds: cameraIds.filter((id) => id !== locked) } : { cameraIds }),
          from: fromLocalInput(from)!,
          to: fromLocalInput(to)!,
          ...(title.trim() ? { title: title.trim() } : {}),
          burnInBoxes: burnIn,
          who: name,
        },
      );
      setJob(created);
    } catch (err) {
      setError(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!job) return;
    try {
      setJob(await client.request('DELETE /api/exports/:id', { id: job.id }, undefined, { timeoutMs: 60_000 }));
    } catch (err) {
      setError(toProblem(err));
    }
  };

  const saveToFolder = async () => {
    if (!job || !host?.saveExport) return;
    setError(null);
    try {
      const result = await host.saveExport(job.id);
      if (result) setSaved(result.path);
    } catch (err) {
      setError({ code: 'EXPORT_FAILED', message: (err as Error).message });
    }
  };

  const toggleCamera = (id: string, on: boolean) => setCameraIds((ids) => (on ? [...new Set([...ids, id])] : ids.filter((x) => x !== id)));
  const problem = (field: FormProblem['field']) => problems.find((p) => p.field === field);
  const listed = cameras ?? [];
  // A camera that was removed still has its footage and incidents: keep it choosable.
  const unlisted = cameraIds.filter((id) => !listed.some((c) => c.id === id));
  const span = (fromLocalInput(to) ?? 0) - (fromLocalInput(from) ?? 0);

  return (
    <div className="export-backdrop">
      <section className="export-dialog" role="dialog" aria-label="Export evidence" data-testid="export-dialog" data-state={job?.state ?? 'form'} data-job-id={job?.id}>
        <header className="export-head">
          <h2>Export evidence</h2>
          <div className="spacer" />
          <button type="button" className="icon" data-testid="export-close" onClick={onClose} disabled={active} title={active ? 'Cancel the export first' : 'Close'}>
            ×
          </button>
        </header>
        {!job ? (
          <form className="export-form" onSubmit={submit} noValidate>
            {initial.incidentId && (
              <p className="muted">
                Incident footage, tracks, audit trail and snapshots, in one folder signed by this installation.
              </p>
            )}
            <fieldset className="export-cameras" data-testid="export-cameras">
              <legend>Cameras</legend>
              {cameras === null && <span className="muted">Loading…</span>}
              {[...listed.map((c) => ({ id: c.id, name: c.name })), ...unlisted.map((id) => ({ id, name: id }))].map((camera) => (
                <label key={camera.id} className="export-camera">
                  <input
                    type="checkbox"
                    data-testid="export-camera"
                    data-camera-id={camera.id}
                    checked={cameraIds.includes(camera.id)}
                    disabled={camera.id === locked}
                    onChange={(e) => toggleCamera(camera.id, e.target.checked)}
                  />{' '}
                  {camera.name}
                  {camera.id === locked && <span className="muted"> (the incident's camera)</span>}
                </label>
              ))}
              {problem('cameras') && <FieldProblem problem={problem('cameras')!} />}
            </fieldset>
            <div className="export-range">
              <label>
                From
                <input type="datetime-local" step="1" data-testid="export-from" value={from} onChange={(e) => setFrom(e.target.value)} />
                {problem('from') && <FieldProblem problem={problem('from')!} />}
              </label>
              <label>
                To
                <input type="datetime-local" step="1" data-testid="export-to" value={to} onChange={(e) => setTo(e.target.value)} />
                {problem('to') && <FieldProblem problem={problem('to')!} />}
              </label>
              <span className="muted export-span">{span > 0 ? formatSpan(span) : ''}</span>
            </div>
            <label className="export-field">
              Title <span className="muted">(optional)</span>
              <input data-testid="export-title" value={title} maxLength={200} placeholder="What the recipient reads first" onChange={(e) => setTitle(e.target.value)} />
              {problem('title') && <FieldProblem problem={problem('title')!} />}
            </label>
            <label className="export-field">
              Exported by
              <input data-testid="export-who" value={who} maxLength={80} onChange={(e) => setWho(e.target.value)} />
              {problem('who') && <FieldProblem problem={problem('who')!} />}
            </label>
            <label className="export-check">
              <input type="checkbox" data-testid="export-burn-in" checked={burnIn} onChange={(e) => setBurnIn(e.target.checked)} /> Also add a copy with the detection boxes drawn in
              <span className="muted"> (re-encoded; the original recording stays the evidence)</span>
            </label>
            {error && <ProblemBox problem={error} testId="export-error" />}
            <div className="export-buttons">
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="primary" data-testid="export-start" disabled={busy}>
                {busy ? 'Starting…' : 'Export'}
              </button>
            </div>
          </form>
        ) : (
          <JobView
            job={job}
            client={client}
            canSave={Boolean(host?.saveExport)}
            saved={saved}
            error={error}
            onCancel={cancel}
            onSave={saveToFolder}
            onRetry={() => {
              setJob(null);
              setError(null);
            }}
            onClose={onClose}
          />
        )}
      </section>
    </div>
  );
}

function FieldProblem({ problem }: { problem: FormProblem }) {
  return (
    <span className="field-error" data-testid="export-field-error" data-code={problem.code}>
      {problem.message}
    </span>
  );
}
