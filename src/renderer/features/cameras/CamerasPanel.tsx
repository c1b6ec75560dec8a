import { useState } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import { ApiError, describeCode } from '../../api/errors';
import { STATE_LABELS } from '../grid/tile-state';
import { CameraForm } from './CameraForm';

export interface CamerasPanelProps {
  client: ApiClient;
  cameras: CameraView[];
  onChanged(camera: CameraView): void;
  onRemoved(id: string): void;
  onClose(): void;
  /** Opens the zone and rule editor of a camera. */
  onOpenZones?: (id: string) => void;
}

type Editing = { mode: 'add' } | { mode: 'edit'; id: string } | null;

export function CamerasPanel({ client, cameras, onChanged, onRemoved, onClose, onOpenZones }: CamerasPanelProps) {
  const [editing, setEditing] = useState<Editing>(null);
  const editedCamera = editing?.mode === 'edit' ? cameras.find((c) => c.id === editing.id) : undefined;

  return (
    <aside className="cameras-panel" data-testid="cameras-panel" aria-label="Cameras">
      <div className="panel-head">
        <h2>Cameras</h2>
        <span className="muted">{cameras.length}</span>
        <button type="button" className="primary" data-testid="camera-add" onClick={() => setEditing({ mode: 'add' })} disabled={editing?.mode === 'add'}>
          + Add
        </button>
        <button type="button" className="icon" data-testid="cameras-close" onClick={onClose} title="Close">
          ×
        </button>
      </div>
      {editing?.mode === 'add' && (
        <CameraForm
          client={client}
          onSaved={(camera) => {
            onChanged(camera);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ul className="camera-list">
        {cameras.map((camera) => (
          <li key={camera.id}>
            <CameraRow client={client} camera={camera} onEdit={() => setEditing({ mode: 'edit', id: camera.id })} onChanged={onChanged} onRemoved={onRemoved} onOpenZones={onOpenZones && (() => onOpenZones(camera.id))} />
            {editedCamera?.id === camera.id && (
              <CameraForm
                key={camera.id}
                client={client}
                camera={editedCamera}
                onSaved={(saved) => {
                  onChanged(saved);
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            )}
          </li>
        ))}
        {cameras.length === 0 && <li className="muted empty-list">No cameras yet. Add one to start.</li>}
      </ul>
    </aside>
  );
}

interface CameraRowProps {
  client: ApiClient;
  camera: CameraView;
  onEdit(): void;
  onChanged(camera: CameraView): void;
  onRemoved(id: string): void;
  onOpenZones?: () => void;
}

function CameraRow({ client, camera, onEdit, onChanged, onRemoved, onOpenZones }: CameraRowProps) {
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? { code: err.code, message: err.message || describeCode(err.code) } : { code: 'INTERNAL', message: String(err) });
    } finally {
      setBusy(false);
    }
  };

  const toggle = () =>
    run(async () => {
      onChanged(await client.request('PATCH /api/cameras/:id', { id: camera.id }, { enabled: !camera.enabled }));
    });
  const remove = () =>
    run(async () => {
      const res = await client.request('DELETE /api/cameras/:id', { id: camera.id }, undefined);
      onRemoved(res.deleted);
    });

  const state = camera.status.state;
  return (
    <div className="camera-row" data-testid="camera-row" data-camera-id={camera.id} data-state={state} data-enabled={camera.enabled ? 'true' : 'false'}>
      <div className="camera-row-main">
        <span className={`dot state-${state}`} aria-hidden="true" />
        <span className="camera-row-name">{camera.name}</span>
        {camera.demo && <span className="badge badge-demo">DEMO</span>}
        <span className="camera-row-state">{STATE_LABELS[state]}</span>
      </div>
      <div className="camera-row-url" title={camera.mainUrl}>
        {camera.mainUrl}
      </div>
      {camera.status.reason && (state === 'error' || state === 'offline' || state === 'reconnecting') && (
        <div className="camera-row-reason" data-reason={camera.status.reason}>
          <span className="reason-code">{camera.status.reason}</span> {describeCode(camera.status.reason)}
        </div>
      )}
      <div className="camera-row-actions">
        <button type="button" data-testid="camera-toggle" data-enabled={camera.enabled ? 'true' : 'false'} onClick={toggle} disabled={busy}>
          {camera.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" data-testid="camera-edit" onClick={onEdit} disabled={busy}>
          Edit
        </button>
        {onOpenZones && (
          <button type="button" data-testid="zones-open" onClick={onOpenZones} disabled={busy} title="Draw zones, masks and lines; set up rules">
            Zones &amp; rules
          </button>
        )}
        {confirmDelete ? (
          <>
            <button type="button" className="danger" data-testid="camera-delete-confirm" onClick={remove} disabled={busy}>
              Really delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)} disabled={busy}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" data-testid="camera-delete" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete
          </button>
        )}
      </div>
      {error && (
        <div className="form-error" data-testid="camera-row-error" data-code={error.code} role="alert">
          <span className="reason-code">{error.code}</span> {error.message}
        </div>
      )}
    </div>
  );
}
