import { useState, type FormEvent, type ReactNode } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import { ApiError, describeCode } from '../../api/errors';
import { buildCreate, buildUpdate, emptyForm, formFromCamera, problemsFromIssues, type CameraFormValues, type FieldProblem, type FormField } from './form';

export interface CameraFormProps {
  client: ApiClient;
  /** The camera being edited; absent to add one. */
  camera?: CameraView;
  onSaved(camera: CameraView): void;
  onCancel(): void;
}

type Problems = Partial<Record<FormField, FieldProblem>>;

export function CameraForm({ client, camera, onSaved, onCancel }: CameraFormProps) {
  const [values, setValues] = useState<CameraFormValues>(() => (camera ? formFromCamera(camera) : emptyForm()));
  const [problems, setProblems] = useState<Problems>({});
  const [formError, setFormError] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const advancedProblem = Object.keys(problems).some((f) => f.startsWith('options.'));
  const set = <K extends keyof CameraFormValues>(key: K, value: CameraFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const update = camera ? buildUpdate(camera, values) : null;
    const create = camera ? null : buildCreate(values);
    const invalid = update && !update.ok ? update.problems : create && !create.ok ? create.problems : null;
    if (invalid) {
      setProblems(invalid);
      setFormError([]);
      return;
    }
    setBusy(true);
    setProblems({});
    setFormError([]);
    try {
      let saved: CameraView | null = null;
      if (camera && update?.ok) saved = await client.request('PATCH /api/cameras/:id', { id: camera.id }, update.body);
      else if (create?.ok) saved = await client.request('POST /api/cameras', {}, create.body);
      if (saved) onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        const { fields, other } = problemsFromIssues(err.issues);
        setProblems(fields);
        // Field problems sit next to their fields; repeat the summary only when something is left over.
        const allOnFields = Object.keys(fields).length > 0 && other.length === 0;
        setFormError(allOnFields ? [] : [{ code: err.code, message: err.message || describeCode(err.code) }, ...other]);
      } else {
        setFormError([{ code: 'INTERNAL', message: String(err) }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="camera-form" data-testid="camera-form" data-mode={camera ? 'edit' : 'add'} onSubmit={submit} noValidate>
      <h3>{camera ? `Edit ${camera.name}` : 'Add camera'}</h3>
      <Field label="Name" field="name" problems={problems}>
        <input data-testid="field-name" value={values.name} maxLength={80} onChange={(e) => set('name', e.target.value)} autoFocus />
      </Field>
      <Field label="Main stream URL" field="mainUrl" problems={problems} hint="rtsp://, rtmp://, http(s)://, file:///…, device:…">
        <input data-testid="field-mainUrl" value={values.mainUrl} spellCheck={false} autoComplete="off" onChange={(e) => set('mainUrl', e.target.value)} />
      </Field>
      <Field label="Sub stream URL (optional)" field="subUrl" problems={problems}>
        <input data-testid="field-subUrl" value={values.subUrl} spellCheck={false} autoComplete="off" onChange={(e) => set('subUrl', e.target.value)} />
      </Field>
      <Field label="Enabled" field="enabled" problems={problems} inline>
        <input type="checkbox" data-testid="field-enabled" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} />
      </Field>
      <details className="advanced" open={advancedProblem || undefined}>
        <summary>Advanced</summary>
        <Field label="RTSP transport" field="options.rtspTransport" problems={problems}>
          <select data-testid="field-rtspTransport" value={values.rtspTransport} onChange={(e) => set('rtspTransport', e.target.value as CameraFormValues['rtspTransport'])}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        </Field>
        <Field label="Live transcoding" field="options.liveTranscode" problems={problems}>
          <select data-testid="field-liveTranscode" value={values.liveTranscode} onChange={(e) => set('liveTranscode', e.target.value as CameraFormValues['liveTranscode'])}>
            <option value="auto">Auto (only when the browser cannot play it)</option>
            <option value="always">Always</option>
            <option value="never">Never</option>
          </select>
        </Field>
        <Field label="Restart after seconds without video" field="options.stallSeconds" problems={problems}>
          <input data-testid="field-stallSeconds" inputMode="numeric" value={values.stallSeconds} onChange={(e) => set('stallSeconds', e.target.value)} />
        </Field>
        <Field label="Transcoded size (width × height, optional)" field="options.transcodeSize" problems={problems}>
          <span className="size-inputs">
            <input data-testid="field-transcodeWidth" inputMode="numeric" placeholder="width" value={values.transcodeWidth} onChange={(e) => set('transcodeWidth', e.target.value)} />
            ×
            <input data-testid="field-transcodeHeight" inputMode="numeric" placeholder="height" value={values.transcodeHeight} onChange={(e) => set('transcodeHeight', e.target.value)} />
          </span>
        </Field>
      </details>
      {formError.length > 0 && (
        <div className="form-error" data-testid="form-error" role="alert">
          {formError.map((p, i) => (
            <div key={i} data-code={p.code}>
              <span className="reason-code">{p.code}</span> {p.message}
            </div>
          ))}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="camera-save" disabled={busy}>
          {busy ? 'Saving…' : camera ? 'Save' : 'Add'}
        </button>
        <button type="button" data-testid="camera-cancel" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({ label, field, problems, hint, inline, children }: { label: string; field: FormField; problems: Problems; hint?: string; inline?: boolean; children: ReactNode }) {
  const problem = problems[field];
  return (
    <label className={`field${inline ? ' inline' : ''}${problem ? ' invalid' : ''}`} data-field={field}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !problem && <span className="field-hint">{hint}</span>}
      {problem && (
        <span className="field-error" data-testid={`field-error-${field}`} data-code={problem.code} role="alert">
          <span className="reason-code">{problem.code}</span> {problem.message}
        </span>
      )}
    </label>
  );
}
