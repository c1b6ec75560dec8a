import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Incident } from '../../../shared/incidents';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';
import { actionInput, canDo, type OperatorAction } from './actions';
import { unlockAudio } from './alarm-sound';
import { formatAge, SEVERITY_LABELS, STATE_LABELS } from './format';
import { IncidentDetailView } from './IncidentDetail';
import { ProblemLine } from './ProblemLine';
import { shortcutFor, SHORTCUTS, shortcutHelp } from './shortcuts';
import { useIncidents, type ActionRequest, type Incidents } from './useIncidents';

/** An action that needs words from the operator first, asked in a small inline field. */
export interface Prompt {
  id: string;
  action: 'note' | 'false-alarm' | 'assign';
}

/** Re-renders every `ms` so that ages move on. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export interface IncidentQueueProps {
  client: ApiClient;
  listen(listener: EngineListener): () => void;
  /** Shows a camera in the single view (main stream). */
  onShowCamera(cameraId: string): void;
}

/**
 * The alarm queue (right side): open incidents, most severe and newest first; keyboard
 * shortcuts; the opened incident's details and actions. Hidden while nothing is open.
 */
export function IncidentQueue({ client, listen, onShowCamera }: IncidentQueueProps) {
  const incidents = useIncidents(client, listen);
  const { queue, detail, selectedId, collapsed } = incidents;
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const now = useNow(5_000);
  const visible = queue.length > 0 || detail !== null;

  const openIncident = (id: string) => {
    const incident = incidents.find(id);
    incidents.open(id);
    if (incident) onShowCamera(incident.cameraId);
  };
  // The camera shows as soon as the detail knows it (an incident opened before it was listed).
  const detailCamera = detail?.incident?.cameraId;
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    if (!detail) {
      shownFor.current = null;
      return;
    }
    if (detailCamera && shownFor.current !== detail.id) {
      shownFor.current = detail.id;
      onShowCamera(detailCamera);
    }
  }, [detail, detailCamera, onShowCamera]);

  const startAction = (id: string, action: OperatorAction) => {
    const incident = incidents.find(id);
    if (incident && !canDo(incident, action)) {
      void incidents.act(id, { action } as ActionRequest); // reports INCIDENT_TRANSITION_INVALID without a request
      return;
    }
    const input = actionInput(action);
    if (input !== 'none') {
      incidents.clearActionError();
      setPrompt({ id, action: action as Prompt['action'] });
      return;
    }
    void incidents.act(id, { action } as ActionRequest);
  };

  // Keyboard shortcuts, while the queue is shown and not while typing.
  const handler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  handler.current = (e: KeyboardEvent) => {
    const target = e.target instanceof HTMLElement ? e.target : null;
    const command = shortcutFor({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      targetTag: target?.tagName,
      targetEditable: target?.isContentEditable,
      targetInteractive: target !== null && target !== document.body && (target.tagName === 'BUTTON' || target.tagName === 'A' || target.tabIndex >= 0),
    });
    if (!command || !visible || collapsed) return;
    const id = selectedId ?? detail?.id ?? null;
    if (command === 'next' || command === 'previous') {
      e.preventDefault();
      incidents.move(command === 'next' ? 1 : -1);
      return;
    }
    if (id === null) return;
    e.preventDefault();
    if (command === 'open') openIncident(id);
    else startAction(id, command);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener('keydown', onKey);
    // Audio may only start after the page had a gesture: unlock it on the first one.
    window.addEventListener('pointerdown', unlockAudio);
    window.addEventListener('keydown', unlockAudio);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', unlockAudio);
      window.removeEventListener('keydown', unlockAudio);
    };
  }, []);

  // Keep the selected row in sight.
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!selectedId) return;
    const row = listRef.current?.querySelector(`[data-incident-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedId]);

  if (!visible) return null;
  if (collapsed) {
    const alarming = queue.some((i) => i.state === 'new' && (i.severity === 'critical' || i.severity === 'high'));
    return (
      <aside className={`incident-queue collapsed${alarming ? ' alarming' : ''}`} data-testid="incident-queue" data-collapsed="true" data-count={queue.length} aria-label="Alarm queue">
        <button type="button" className="queue-expand" data-testid="incident-queue-toggle" aria-expanded={false} onClick={() => incidents.setCollapsed(false)} title="Show the alarm queue">
          <span className="queue-expand-count">{queue.length}</span>
          <span className="queue-expand-label">Alarms</span>
        </button>
      </aside>
    );
  }

  const promptIncident = prompt ? incidents.find(prompt.id) : undefined;
  return (
    <aside className="side-panel incident-queue" data-testid="incident-queue" data-collapsed="false" data-count={queue.length} aria-label="Alarm queue">
      <div className="panel-head">
        <h2>Alarms</h2>
        <span className="count-pill" data-testid="incident-count">
          {queue.length}
        </span>
        <div className="spacer" />
        <button
          type="button"
          className="icon-text"
          data-testid="alarm-mute"
          aria-pressed={incidents.muted}
          onClick={() => incidents.setMuted(!incidents.muted)}
          title={incidents.muted ? 'Alarm sound is muted: click to turn it on' : 'Mute the alarm sound'}
        >
          {incidents.muted ? 'Sound off' : 'Sound on'}
        </button>
        <span className="shortcut-help" data-testid="incident-shortcuts-help" tabIndex={0} title={shortcutHelp()} aria-label="Keyboard shortcuts">
          ?
          <span className="shortcut-help-pop" role="tooltip">
            {SHORTCUTS.map((s) => (
              <span key={s.command} className="shortcut-line">
                <kbd>{s.keys}</kbd> {s.label}
              </span>
            ))}
          </span>
        </span>
        <button type="button" className="icon" data-testid="incident-queue-toggle" aria-expanded={true} onClick={() => incidents.setCollapsed(true)} title="Collapse the alarm queue">
          ›
        </button>
      </div>
      <OperatorLine incidents={incidents} />
      {incidents.listError && <ProblemLine problem={incidents.listError} testId="incident-list-error" />}
      <ul className="incident-list" data-testid="incident-list" role="listbox" aria-label="Open incidents" ref={listRef}>
        {queue.map((incident) => (
          <IncidentRow
            key={incident.id}
            incident={incident}
            now={now}
            selected={incident.id === selectedId}
            opened={incident.id === detail?.id}
            onSelect={() => incidents.select(incident.id)}
            onOpen={() => openIncident(incident.id)}
          />
        ))}
        {queue.length === 0 && <li className="muted empty-list">No open incidents.</li>}
      </ul>
      {prompt && (
        <ActionPrompt
          key={`${prompt.id}-${prompt.action}`}
          prompt={prompt}
          incident={promptIncident}
          busy={incidents.busy}
          onCancel={() => setPrompt(null)}
          onSubmit={async (text) => {
            const request =
              prompt.action === 'assign' ? { action: 'assign' as const, owner: text } : prompt.action === 'note' ? { action: 'note' as const, note: text } : { action: 'false-alarm' as const, ...(text ? { note: text } : {}) };
            if (await incidents.act(prompt.id, request)) setPrompt(null);
          }}
        />
      )}
      {!detail && incidents.actionError && <ProblemLine problem={incidents.actionError} testId="incident-action-error" />}
      {detail && <IncidentDetailView detail={detail} incidents={incidents} now={now} onAction={(action) => startAction(detail.id, action)} onShowCamera={onShowCamera} />}
    </aside>
  );
}

function IncidentRow({ incident, now, selected, opened, onSelect, onOpen }: { incident: Incident; now: number; selected: boolean; opened: boolean; onSelect(): void; onOpen(): void }) {
  return (
    <li
      className={`incident-row sev-${incident.severity} state-${incident.state}${selected ? ' selected' : ''}${opened ? ' opened' : ''}`}
      data-testid="incident-row"
      data-incident-id={incident.id}
      data-camera-id={incident.cameraId}
      data-state={incident.state}
      data-severity={incident.severity}
      role="option"
      aria-selected={selected}
      onClick={() => {
        onSelect();
        onOpen();
      }}
      title={`${SEVERITY_LABELS[incident.severity] ?? incident.severity}: ${incident.ruleName} on ${incident.cameraName}`}
    >
      <span className={`sev-bar sev-bg-${incident.severity}`} aria-hidden="true" />
      <div className="incident-main">
        <div className="incident-line">
          <span className="incident-camera" data-testid="incident-camera">
            {incident.cameraName}
          </span>
          <span className="incident-age muted" data-testid="incident-age" title={new Date(incident.startedAt).toLocaleString()}>
            {formatAge(now - incident.startedAt)}
          </span>
        </div>
        <div className="incident-line">
          <span className="incident-rule" data-testid="incident-rule">
            {incident.ruleName}
            {incident.label && <span className="incident-label"> · {incident.label}</span>}
          </span>
        </div>
        <div className="incident-line small">
          <span className={`sev-text sev-fg-${incident.severity}`}>{SEVERITY_LABELS[incident.severity] ?? incident.severity}</span>
          <span className={`incident-state incident-state-${incident.state}`} data-testid="incident-state">
            {STATE_LABELS[incident.state] ?? incident.state}
          </span>
          {incident.owner && (
            <span className="incident-owner muted" data-testid="incident-owner">
              {incident.owner}
            </span>
          )}
          {incident.evidenceLock && <span className="incident-lock muted" title="Evidence locked">locked</span>}
        </div>
      </div>
    </li>
  );
}

function OperatorLine({ incidents }: { incidents: Incidents }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  if (incidents.operator && !editing) {
    return (
      <div className="operator-line muted">
        Operator:{' '}
        <button
          type="button"
          className="link"
          data-testid="operator-name"
          onClick={() => {
            setText(incidents.operator ?? '');
            setEditing(true);
          }}
          title="Change the name written in the audit trail"
        >
          {incidents.operator}
        </button>
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    incidents.setOperator(text);
    setEditing(false);
  };
  return (
    <form className="operator-form" data-testid="operator-name-form" onSubmit={submit}>
      <label className="field inline">
        <span className="field-label">Your name (for the audit trail)</span>
        <input data-testid="operator-name-input" value={text} maxLength={80} onChange={(e) => setText(e.currentTarget.value)} autoFocus={editing} />
      </label>
      <button type="submit" className="primary" data-testid="operator-name-save" disabled={!text.trim()}>
        Save
      </button>
    </form>
  );
}

const PROMPT_TEXT: Record<Prompt['action'], { title: string; placeholder: string; submit: string; required: boolean }> = {
  note: { title: 'Add a note', placeholder: 'What happened, what was done…', submit: 'Add note', required: true },
  'false-alarm': { title: 'Mark as false alarm', placeholder: 'Why it is a false alarm (optional)', submit: 'False alarm', required: false },
  assign: { title: 'Assign to', placeholder: 'Operator name', submit: 'Assign', required: true },
};

function ActionPrompt({ prompt, incident, busy, onCancel, onSubmit }: { prompt: Prompt; incident: Incident | undefined; busy: boolean; onCancel(): void; onSubmit(text: string): void }) {
  const [text, setText] = useState('');
  const words = PROMPT_TEXT[prompt.action];
  const ok = !words.required || text.trim().length > 0;
  return (
    <form
      className="incident-prompt"
      data-testid="incident-prompt"
      data-action={prompt.action}
      data-incident-id={prompt.id}
      onSubmit={(e) => {
        e.preventDefault();
        if (ok && !busy) onSubmit(text.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className="prompt-title">
        {words.title}
        {incident && <span className="muted"> — {incident.cameraName}, {incident.ruleName}</span>}
      </div>
      <div className="prompt-row">
        {prompt.action === 'assign' ? (
          <input data-testid="incident-prompt-input" value={text} maxLength={80} placeholder={words.placeholder} autoFocus onChange={(e) => setText(e.currentTarget.value)} />
        ) : (
          <textarea data-testid="incident-prompt-input" value={text} maxLength={4000} rows={2} placeholder={words.placeholder} autoFocus onChange={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }} />
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="incident-prompt-submit" disabled={!ok || busy}>
          {words.submit}
        </button>
        <button type="button" data-testid="incident-prompt-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
