// The zone and rule editor of one camera: its live picture with zones, masks and lines drawn
// on it, and its rules. Loads with GET /api/cameras/:id/rules and saves the whole RuleSet
// with PUT, after checking it with RuleSetSchema here first.
import { useEffect, useState } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { CrossingDirection, PicturePoint, RuleType, Zone } from '../../../shared/rules';
import { ApiError, type ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { PictureCanvas, type Selection, type Tool } from './PictureCanvas';
import {
  browserTimeZone,
  DIRECTION_LABELS,
  DIRECTIONS,
  docFromRuleSet,
  docToRuleSet,
  emptyDoc,
  newRuleForm,
  nextName,
  removeShape,
  rulesUsing,
  type EditorDoc,
} from './rule-form';
import { FieldError, RulesList } from './RulesList';
import { apiProblems, checkRuleSet, isMissingRoute, problemsOf, type Problems } from './validation';

export interface ZoneEditorProps {
  client: ApiClient;
  camera: CameraView;
  onClose(): void;
}

type Load = { state: 'loading' } | { state: 'ready' } | { state: 'missing-route' } | { state: 'failed'; code: string; message: string };

function newId(): string {
  return crypto.randomUUID();
}

const TOOL_HINTS: Record<Tool, string> = {
  select: 'Click a shape to select it; drag its points or the shape; right-click a point (or select it and press Delete) to remove it; double-click an edge to add a point.',
  zone: 'Click the corners of the zone; click the first point or double-click to close it; Escape cancels.',
  mask: 'Click the corners of the mask (objects inside are ignored); click the first point or double-click to close; Escape cancels.',
  line: 'Click where the line starts, then where it ends; Escape cancels.',
};

export function ZoneEditor({ client, camera, onClose }: ZoneEditorProps) {
  const [doc, setDoc] = useState<EditorDoc>(emptyDoc);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [tool, setTool] = useState<Tool>('select');
  const [selected, setSelected] = useState<Selection>(null);
  const [hint, setHint] = useState(TOOL_HINTS.select);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);

  useEffect(() => {
    let live = true;
    client.request('GET /api/cameras/:id/rules', { id: camera.id }, undefined).then(
      (set) => {
        if (!live) return;
        setDoc(docFromRuleSet(set, camera.id));
        setLoad({ state: 'ready' });
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && isMissingRoute(err)) setLoad({ state: 'missing-route' });
        else if (err instanceof ApiError) setLoad({ state: 'failed', code: err.code, message: err.message || describeCode(err.code) });
        else setLoad({ state: 'failed', code: 'INTERNAL', message: String(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [client, camera.id]);

  const edit = (next: (doc: EditorDoc) => EditorDoc) => {
    setDoc(next);
    setDirty(true);
    setSavedAt(null);
  };

  const chooseTool = (next: Tool) => {
    setTool(next);
    setHint(TOOL_HINTS[next]);
    if (next !== 'select') setSelected(null);
  };

  const createZone = (kind: Zone['kind'], polygon: PicturePoint[]) => {
    const id = newId();
    edit((d) => ({ ...d, zones: [...d.zones, { id, cameraId: camera.id, name: nextName(kind === 'mask' ? 'Mask' : 'Zone', d.zones.map((z) => z.name)), kind, polygon }] }));
    setSelected({ kind: 'zone', id });
    setHint(`${kind === 'mask' ? 'Mask' : 'Zone'} added. ${TOOL_HINTS.select}`);
  };

  const createLine = (points: [PicturePoint, PicturePoint]) => {
    const id = newId();
    edit((d) => ({ ...d, lines: [...d.lines, { id, cameraId: camera.id, name: nextName('Line', d.lines.map((l) => l.name)), points, direction: 'both' }] }));
    setSelected({ kind: 'line', id });
    setHint("Line added. Side 'a' is on the left of the line walked from its first point; choose the direction that counts in the list.");
  };

  const addRule = (type: RuleType) =>
    edit((d) => ({ ...d, rules: [...d.rules, newRuleForm(type, { id: newId(), zones: d.zones, lines: d.lines, timeZone: browserTimeZone() })] }));

  const save = async () => {
    setError(null);
    const body = docToRuleSet(doc, camera.id);
    const check = checkRuleSet(body);
    if (!check.ok) {
      setProblems(check.problems);
      setError({ code: 'VALIDATION_FAILED', message: `${check.count === 1 ? 'One field needs' : `${check.count} fields need`} fixing before saving (marked in red).` });
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      const saved = await client.request('PUT /api/cameras/:id/rules', { id: camera.id }, check.set);
      setDoc(docFromRuleSet(saved, camera.id));
      setDirty(false);
      setSavedAt(Date.now());
      if (load.state !== 'ready') setLoad({ state: 'ready' });
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.issues.length > 0) setProblems(apiProblems(err.issues, body));
        setError(
          isMissingRoute(err)
            ? { code: err.code, message: 'This engine does not serve zones and rules yet (the rules route answered 404); nothing was saved.' }
            : { code: err.code, message: err.message || describeCode(err.code) },
        );
      } else setError({ code: 'INTERNAL', message: String(err) });
    } finally {
      setSaving(false);
    }
  };

  const close = () => {
    if (dirty && !confirmClose) {
      setConfirmClose(true);
      return;
    }
    onClose();
  };

  const zoneProblems = (id: string) => problemsOf(problems, `zone:${id}`);
  const lineProblems = (id: string) => problemsOf(problems, `line:${id}`);

  return (
    <div className="zones-backdrop">
      <section className="zones-editor" data-testid="zones-editor" data-camera-id={camera.id} data-load={load.state} data-dirty={dirty ? 'true' : 'false'} role="dialog" aria-label={`Zones and rules of ${camera.name}`}>
        <header className="zones-head">
          <h2>
            Zones &amp; rules <span className="muted">· {camera.name}</span>
          </h2>
          <div className="zones-tools" role="toolbar" aria-label="Drawing tools">
            {(
              [
                ['select', 'Select'],
                ['zone', '+ Zone'],
                ['mask', '+ Mask'],
                ['line', '+ Line'],
              ] as const
            ).map(([t, label]) => (
              <button key={t} type="button" data-testid={`zones-tool-${t}`} aria-pressed={tool === t} onClick={() => chooseTool(tool === t ? 'select' : t)}>
                {label}
              </button>
            ))}
          </div>
          <div className="spacer" />
          {savedAt !== null && !dirty && (
            <span className="zones-saved" data-testid="zones-saved">
              Saved
            </span>
          )}
          <button type="button" className="primary" data-testid="zones-save" onClick={save} disabled={saving || load.state === 'loading'}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {confirmClose ? (
            <>
              <button type="button" className="danger" data-testid="zones-discard" onClick={onClose}>
                Discard changes
              </button>
              <button type="button" onClick={() => setConfirmClose(false)}>
                Keep editing
              </button>
            </>
          ) : (
            <button type="button" className="icon" data-testid="zones-close" onClick={close} title="Close">
              ×
            </button>
          )}
        </header>
        {load.state === 'missing-route' && (
          <div className="zones-notice" data-testid="zones-unavailable" role="status">
            This engine does not serve zones and rules yet: <code>GET /api/cameras/:id/rules</code> answered 404 (<span className="reason-code">RESOURCE_NOT_FOUND</span>). You can
            draw, but saving will fail until the engine is updated.
          </div>
        )}
        {load.state === 'failed' && (
          <div className="form-error" data-testid="zones-error" data-code={load.code} role="alert">
            Could not load the rules: <span className="reason-code">{load.code}</span> {load.message}
          </div>
        )}
        {error && (
          <div className="form-error" data-testid="zones-error" data-code={error.code} role="alert">
            <span className="reason-code">{error.code}</span> {error.message}
            {problems.set && <div>{problems.set}</div>}
          </div>
        )}
        <div className="zones-body">
          <div className="zones-stage">
            <PictureCanvas
              client={client}
              camera={camera}
              zones={doc.zones}
              lines={doc.lines}
              tool={tool}
              selected={selected}
              onSelect={setSelected}
              onZone={(id, polygon) => edit((d) => ({ ...d, zones: d.zones.map((z) => (z.id === id ? { ...z, polygon } : z)) }))}
              onLine={(id, points) => edit((d) => ({ ...d, lines: d.lines.map((l) => (l.id === id ? { ...l, points } : l)) }))}
              onCreateZone={createZone}
              onCreateLine={createLine}
              onToolDone={() => setTool('select')}
              onHint={setHint}
            />
            <div className="zones-hint muted" data-testid="zones-hint">
              {hint}
            </div>
          </div>
          <div className="zones-side">
            {load.state === 'loading' ? (
              <div className="muted">Loading…</div>
            ) : (
              <>
                <section className="zones-section" aria-label="Zones">
                  <div className="zones-section-head">
                    <h3>Zones &amp; masks</h3>
                    <span className="muted">{doc.zones.length}</span>
                  </div>
                  <ul className="zones-list">
                    {doc.zones.map((zone) => {
                      const used = rulesUsing(doc, zone.id).length;
                      const issues = zoneProblems(zone.id);
                      return (
                        <li
                          key={zone.id}
                          className={`zones-item${selected?.id === zone.id ? ' selected' : ''}`}
                          data-testid="zone-item"
                          data-zone-id={zone.id}
                          data-kind={zone.kind}
                          data-points={zone.polygon.length}
                          onClick={() => setSelected({ kind: 'zone', id: zone.id })}
                        >
                          <span className={`zones-swatch zones-swatch-${zone.kind}`} aria-hidden="true" />
                          <input
                            className="zones-name"
                            data-testid="zone-name"
                            value={zone.name}
                            aria-label="Zone name"
                            onChange={(e) => edit((d) => ({ ...d, zones: d.zones.map((z) => (z.id === zone.id ? { ...z, name: e.target.value } : z)) }))}
                          />
                          <select
                            data-testid="zone-kind"
                            value={zone.kind}
                            aria-label="Kind"
                            onChange={(e) => edit((d) => ({ ...d, zones: d.zones.map((z) => (z.id === zone.id ? { ...z, kind: e.target.value as Zone['kind'] } : z)) }))}
                          >
                            <option value="zone">zone</option>
                            <option value="mask">mask</option>
                          </select>
                          <span className="muted" title="Points">
                            {zone.polygon.length} pts
                          </span>
                          <button
                            type="button"
                            className="icon"
                            data-testid="zone-delete"
                            title={used > 0 ? `Delete (used by ${used} rule${used === 1 ? '' : 's'}: they will need another zone)` : 'Delete'}
                            onClick={(e) => {
                              e.stopPropagation();
                              edit((d) => removeShape(d, zone.id));
                              if (selected?.id === zone.id) setSelected(null);
                            }}
                          >
                            ×
                          </button>
                          {issues.length > 0 && <FieldError>{issues[0]}</FieldError>}
                        </li>
                      );
                    })}
                    {doc.zones.length === 0 && <li className="muted empty-list">None yet: use “+ Zone” or “+ Mask” and click on the picture.</li>}
                  </ul>
                </section>
                <section className="zones-section" aria-label="Lines">
                  <div className="zones-section-head">
                    <h3>Lines</h3>
                    <span className="muted">{doc.lines.length}</span>
                  </div>
                  <ul className="zones-list">
                    {doc.lines.map((line) => {
                      const issues = lineProblems(line.id);
                      return (
                        <li
                          key={line.id}
                          className={`zones-item${selected?.id === line.id ? ' selected' : ''}`}
                          data-testid="line-item"
                          data-line-id={line.id}
                          data-direction={line.direction}
                          onClick={() => setSelected({ kind: 'line', id: line.id })}
                        >
                          <span className="zones-swatch zones-swatch-line" aria-hidden="true" />
                          <input
                            className="zones-name"
                            data-testid="line-name"
                            value={line.name}
                            aria-label="Line name"
                            onChange={(e) => edit((d) => ({ ...d, lines: d.lines.map((l) => (l.id === line.id ? { ...l, name: e.target.value } : l)) }))}
                          />
                          <select
                            data-testid="line-direction"
                            value={line.direction}
                            aria-label="Crossing that counts"
                            title="Side 'a' is on the left of the line walked from its first point to its second, as seen on screen"
                            onChange={(e) =>
                              edit((d) => ({ ...d, lines: d.lines.map((l) => (l.id === line.id ? { ...l, direction: e.target.value as CrossingDirection } : l)) }))
                            }
                          >
                            {DIRECTIONS.map((dir) => (
                              <option key={dir} value={dir}>
                                {DIRECTION_LABELS[dir]}
                              </option>
                            ))}
                          </select>
                          <button
                            type="button"
                            className="icon"
                            data-testid="line-swap"
                            title="Swap the ends (sides a and b change places)"
                            onClick={(e) => {
                              e.stopPropagation();
                              edit((d) => ({ ...d, lines: d.lines.map((l) => (l.id === line.id ? { ...l, points: [l.points[1], l.points[0]] } : l)) }));
                            }}
                          >
                            ⇄
                          </button>
                          <button
                            type="button"
                            className="icon"
                            data-testid="line-delete"
                            title="Delete"
                            onClick={(e) => {
                              e.stopPropagation();
                              edit((d) => removeShape(d, line.id));
                              if (selected?.id === line.id) setSelected(null);
                            }}
                          >
                            ×
                          </button>
                          {issues.length > 0 && <FieldError>{issues[0]}</FieldError>}
                        </li>
                      );
                    })}
                    {doc.lines.length === 0 && <li className="muted empty-list">None yet: use “+ Line” and click its two ends.</li>}
                  </ul>
                </section>
                <RulesList
                  rules={doc.rules}
                  zones={doc.zones}
                  lines={doc.lines}
                  problems={problems}
                  onAdd={addRule}
                  onChange={(rule) => edit((d) => ({ ...d, rules: d.rules.map((r) => (r.id === rule.id ? rule : r)) }))}
                  onRemove={(id) => edit((d) => ({ ...d, rules: d.rules.filter((r) => r.id !== id) }))}
                />
              </>
            )}
          </div>
        </div>
      </section>
    </div>
  );
}
