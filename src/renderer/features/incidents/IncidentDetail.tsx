import type { Incident } from '../../../shared/incidents';
import { IncidentReviewButtons, IncidentSnapshot } from '../review/IncidentReview';
import { ACTION_LABELS, canDo, OPERATOR_ACTIONS, type OperatorAction } from './actions';
import { AUDIT_LABELS, formatAge, formatDetail, formatWhen, SEVERITY_LABELS, STATE_LABELS } from './format';
import { ProblemLine } from './ProblemLine';
import type { IncidentDetail, Incidents } from './useIncidents';

export interface IncidentDetailProps {
  detail: IncidentDetail;
  incidents: Incidents;
  now: number;
  onAction(action: OperatorAction): void;
  onShowCamera(cameraId: string): void;
}

/** The opened incident: its facts, the operator actions the state allows, and the audit trail. */
export function IncidentDetailView({ detail, incidents, now, onAction, onShowCamera }: IncidentDetailProps) {
  const incident = detail.incident;
  return (
    <section className="incident-detail" data-testid="incident-detail" data-incident-id={detail.id} data-state={incident?.state} data-loading={detail.loading ? 'true' : undefined} aria-label="Incident">
      <div className="panel-head">
        <h3>{incident ? `${incident.ruleName}` : 'Incident'}</h3>
        <div className="spacer" />
        {incident && (
          <button type="button" data-testid="incident-show-camera" onClick={() => onShowCamera(incident.cameraId)} title="Show this camera in the single view">
            Camera
          </button>
        )}
        <button type="button" className="icon" data-testid="incident-detail-close" onClick={incidents.closeDetail} title="Close the details">
          ×
        </button>
      </div>
      {detail.error && <ProblemLine problem={detail.error} testId="incident-detail-error" />}
      {!incident && detail.loading && <div className="muted">Loading…</div>}
      {incident && <IncidentSnapshot incidentId={incident.id} />}
      {incident && <IncidentReviewButtons incident={incident} />}
      {incident && <Facts incident={incident} now={now} />}
      {incident && (
        <div className="incident-actions" data-testid="incident-actions">
          {OPERATOR_ACTIONS.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'acknowledge' || action === 'start' ? 'primary' : action === 'false-alarm' ? 'danger' : undefined}
              data-testid={`incident-action-${action}`}
              disabled={incidents.busy || !canDo(incident, action)}
              onClick={() => onAction(action)}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      )}
      {incidents.actionError && <ProblemLine problem={incidents.actionError} testId="incident-action-error" />}
      <h4>Audit trail</h4>
      <ol className="incident-audit" data-testid="incident-audit">
        {detail.actions.map((entry) => (
          <li key={entry.id} className={`audit-entry audit-${entry.action}`} data-testid="incident-audit-entry" data-action={entry.action} data-who={entry.who}>
            <span className="audit-when muted">{formatWhen(entry.at, now)}</span> <span className="audit-what">{AUDIT_LABELS[entry.action] ?? entry.action}</span>{' '}
            <span className="audit-who muted">by {entry.who}</span>
            {entry.note && <div className="audit-note">{entry.note}</div>}
          </li>
        ))}
        {detail.actions.length === 0 && <li className="muted">{detail.loading ? 'Loading…' : 'Nothing yet.'}</li>}
      </ol>
    </section>
  );
}

function Facts({ incident, now }: { incident: Incident; now: number }) {
  const details = Object.entries(incident.details ?? {}).flatMap(([key, value]) => {
    const line = formatDetail(key, value, now);
    return line ? [{ key, ...line }] : [];
  });
  return (
    <dl className="incident-facts" data-testid="incident-facts">
      <dt>Severity</dt>
      <dd className={`sev-fg-${incident.severity}`}>{SEVERITY_LABELS[incident.severity] ?? incident.severity}</dd>
      <dt>State</dt>
      <dd data-testid="incident-detail-state">{STATE_LABELS[incident.state] ?? incident.state}</dd>
      <dt>Camera</dt>
      <dd>{incident.cameraName}</dd>
      <dt>Rule</dt>
      <dd>
        {incident.ruleName} <span className="muted">({incident.type})</span>
      </dd>
      {incident.label && (
        <>
          <dt>Object</dt>
          <dd>
            {incident.label}
            {incident.trackId !== null && <span className="muted"> · track {incident.trackId}</span>}
          </dd>
        </>
      )}
      <dt>Started</dt>
      <dd>
        {formatWhen(incident.startedAt, now)} <span className="muted">({formatAge(now - incident.startedAt) === 'just now' ? 'just now' : `${formatAge(now - incident.startedAt)} ago`})</span>
      </dd>
      <dt>Last seen</dt>
      <dd>{formatWhen(incident.updatedAt, now)}</dd>
      <dt>Ended</dt>
      <dd>{incident.endedAt === null ? <span className="still-active">still active</span> : formatWhen(incident.endedAt, now)}</dd>
      <dt>Owner</dt>
      <dd data-testid="incident-detail-owner">{incident.owner ?? <span className="muted">nobody</span>}</dd>
      <dt>Evidence</dt>
      <dd data-testid="incident-detail-lock" data-locked={incident.evidenceLock ? 'true' : 'false'}>
        {incident.evidenceLock ? 'locked (kept whatever the retention)' : 'not locked'}
      </dd>
      {details.map((line) => (
        <FactRow key={line.key} name={line.name} value={line.value} />
      ))}
    </dl>
  );
}

function FactRow({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}
