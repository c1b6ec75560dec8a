// The delivery log: every alert to every recipient with its state, attempts and the reason
// for the last problem, live from `alert.delivery` events; failed and expired ones can be
// sent again (same idempotency key).
import { useState } from 'react';
import { DELIVERY_STATES, type Delivery, type DeliveryState } from '../../../shared/alerts';
import { describeCode } from '../../api/errors';
import { ProblemLine } from '../incidents/ProblemLine';
import { CHANNEL_LABELS, DELIVERY_STATE_LABELS, KIND_LABELS } from './format';
import type { Alerts, Problem } from './useAlerts';

export function DeliveryLog({ alerts }: { alerts: Alerts }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  return (
    <div className="alerts-log" data-testid="alerts-log">
      <label className="field inline">
        <span className="field-label">Show</span>
        <select data-testid="alerts-log-filter" value={alerts.stateFilter} onChange={(e) => alerts.setStateFilter(e.currentTarget.value as DeliveryState | '')}>
          <option value="">all</option>
          {DELIVERY_STATES.map((s) => (
            <option key={s} value={s}>
              {DELIVERY_STATE_LABELS[s].toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {problem && <ProblemLine problem={problem} testId="alerts-retry-error" />}
      <ol className="alerts-list alerts-deliveries">
        {alerts.deliveries.map((d) => (
          <DeliveryRow key={d.id} delivery={d} onRetry={async () => setProblem(await alerts.retry(d.id))} />
        ))}
        {alerts.deliveries.length === 0 && <li className="muted empty-list">Nothing sent yet.</li>}
      </ol>
      {alerts.next && (
        <button type="button" onClick={() => void alerts.loadMore()}>
          Older…
        </button>
      )}
    </div>
  );
}

function DeliveryRow({ delivery: d, onRetry }: { delivery: Delivery; onRetry(): void }) {
  const when = new Date(d.createdAt).toLocaleString();
  return (
    <li className={`alerts-delivery state-${d.state}`} data-testid="alerts-delivery" data-delivery-id={d.id} data-state={d.state} data-kind={d.kind} data-channel={d.channel ?? ''}>
      <div className="alerts-row-head">
        <span className={`alerts-delivery-state state-${d.state}`} data-testid="alerts-delivery-state">
          {DELIVERY_STATE_LABELS[d.state]}
        </span>
        <span className="alerts-row-name" title={d.title}>
          {d.title}
        </span>
        {(d.state === 'failed' || d.state === 'expired') && (
          <button type="button" data-testid="alerts-delivery-retry" onClick={onRetry}>
            Send again
          </button>
        )}
      </div>
      <div className="muted">
        {KIND_LABELS[d.kind]} · {d.channel ? `${CHANNEL_LABELS[d.channel]} to ${d.recipientName ?? '?'}` : 'to nobody'} · {when}
        {d.attempts > 1 && ` · ${d.attempts} attempts`}
        {d.state === 'queued' && d.nextAttemptAt !== null && d.attempts > 0 && ` · next try ${new Date(d.nextAttemptAt).toLocaleTimeString()}`}
      </div>
      {d.reason && (
        <div className="alerts-delivery-reason" data-testid="alerts-delivery-reason" data-code={d.reason}>
          <span className="reason-code">{d.reason}</span> {describeCode(d.reason)}
          {d.message && <div className="reason-detail">{d.message}</div>}
        </div>
      )}
    </li>
  );
}
