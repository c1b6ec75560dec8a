// Policies: which incidents (rule types, rules, cameras, least severity) go to whom on which
// channels, and how they are throttled (cooldown per camera and type, maximum per hour,
// digest window, quiet hours with the critical override, escalation). Saved as a whole.
import { useState, type FormEvent, type ReactNode } from 'react';
import { CHANNEL_KINDS, RuleTypeSchema, type AlertPolicyInput, type AlertSettings } from '../../../shared/alerts';
import type { CameraView } from '../../../shared/cameras';
import { ProblemLine } from '../incidents/ProblemLine';
import { CHANNEL_LABELS, policySummary, SEVERITIES } from './format';
import { fromDraft, newDraft, toDraft, type DraftProblems, type PolicyDraft } from './policy-form';
import type { Alerts, Problem } from './useAlerts';

export function PoliciesEditor({ alerts, settings, cameras }: { alerts: Alerts; settings: AlertSettings; cameras: readonly CameraView[] }) {
  const [editing, setEditing] = useState<PolicyDraft | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const save = async (policies: AlertPolicyInput[]) => {
    const result = await alerts.saveSettings({ ...settings, policies });
    setProblem(result);
    if (!result) setEditing(null);
  };
  return (
    <div className="alerts-policies" data-testid="alerts-policies">
      <ul className="alerts-list">
        {settings.policies.map((policy) => (
          <li key={policy.id} className={`alerts-policy${policy.enabled ? '' : ' off'}`} data-testid="alerts-policy" data-policy-id={policy.id}>
            <div className="alerts-row-head">
              <span className="alerts-row-name">{policy.name}</span>
              {!policy.enabled && <span className="alerts-tag">off</span>}
              <div className="spacer" />
              <button type="button" onClick={() => setEditing(toDraft(policy))}>
                Edit
              </button>
              <button type="button" className="danger" onClick={() => void save(settings.policies.filter((p) => p.id !== policy.id))}>
                Delete
              </button>
            </div>
            <div className="muted">{policySummary(policy, alerts.recipients)}</div>
          </li>
        ))}
        {settings.policies.length === 0 && <li className="muted empty-list">No policies: nothing is alerted outside this screen.</li>}
      </ul>
      {!editing && (
        <button type="button" data-testid="alerts-add-policy" onClick={() => setEditing(newDraft(settings.policies.map((p) => p.id)))}>
          Add policy
        </button>
      )}
      {editing && (
        <PolicyForm
          key={editing.id}
          initial={editing}
          alerts={alerts}
          cameras={cameras}
          onCancel={() => setEditing(null)}
          onSave={(policy) => {
            const exists = settings.policies.some((p) => p.id === policy.id);
            void save(exists ? settings.policies.map((p) => (p.id === policy.id ? policy : p)) : [...settings.policies, policy]);
          }}
        />
      )}
      {problem && <ProblemLine problem={problem} testId="alerts-policy-error" />}
    </div>
  );
}

function PolicyForm({ initial, alerts, cameras, onCancel, onSave }: { initial: PolicyDraft; alerts: Alerts; cameras: readonly CameraView[]; onCancel(): void; onSave(policy: AlertPolicyInput): void }) {
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<DraftProblems>({});
  const set = <K extends keyof PolicyDraft>(key: K, value: PolicyDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = fromDraft(draft);
    setProblems(result.problems ?? {});
    // The engine checks that the recipients exist.
    if (result.policy) onSave(result.policy);
  };
  const field = (key: keyof PolicyDraft, label: string, input: ReactNode) => (
    <label className={`field${problems[key] ? ' invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {input}
      {problems[key] && <span className="field-error">{problems[key]}</span>}
    </label>
  );
  return (
    <form className="alerts-policy-form" data-testid="alerts-policy-form" onSubmit={submit} noValidate>
      {field('name', 'Name', <input data-testid="alerts-policy-name" value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} />)}
      <label className="field inline">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} /> On
      </label>
      <fieldset className="alerts-fieldset">
        <legend>Which incidents</legend>
        <div className="alerts-chips">
          {RuleTypeSchema.options.map((type) => (
            <label key={type} className={`alerts-chip${draft.ruleTypes.includes(type) ? ' on' : ''}`}>
              <input type="checkbox" checked={draft.ruleTypes.includes(type)} onChange={(e) => set('ruleTypes', toggle(draft.ruleTypes, type, e.currentTarget.checked))} /> {type}
            </label>
          ))}
        </div>
        <span className="field-hint">No rule type ticked: every type.</span>
        {field('minSeverity', 'Least severity', (
          <select data-testid="alerts-policy-severity" value={draft.minSeverity} onChange={(e) => set('minSeverity', e.currentTarget.value as PolicyDraft['minSeverity'])}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ))}
        {cameras.length > 0 && (
          <div className="alerts-chips" aria-label="Cameras">
            {cameras.map((camera) => (
              <label key={camera.id} className={`alerts-chip${draft.cameraIds.includes(camera.id) ? ' on' : ''}`}>
                <input type="checkbox" checked={draft.cameraIds.includes(camera.id)} onChange={(e) => set('cameraIds', toggle(draft.cameraIds, camera.id, e.currentTarget.checked))} /> {camera.name}
              </label>
            ))}
          </div>
        )}
        <span className="field-hint">No camera ticked: all cameras.</span>
        {field('ruleIds', 'Only these rule ids (comma-separated, optional)', <input value={draft.ruleIds} onChange={(e) => set('ruleIds', e.currentTarget.value)} />)}
      </fieldset>
      <fieldset className="alerts-fieldset">
        <legend>To whom</legend>
        <div className={`alerts-chips${problems.channels ? ' invalid' : ''}`}>
          {CHANNEL_KINDS.map((kind) => (
            <label key={kind} className={`alerts-chip${draft.channels.includes(kind) ? ' on' : ''}`}>
              <input type="checkbox" data-testid={`alerts-policy-channel-${kind}`} checked={draft.channels.includes(kind)} onChange={(e) => set('channels', toggle(draft.channels, kind, e.currentTarget.checked))} /> {CHANNEL_LABELS[kind]}
            </label>
          ))}
        </div>
        {problems.channels && <span className="field-error">Choose at least one channel.</span>}
        <div className="alerts-chips" aria-label="Recipients">
          {alerts.recipients.map((r) => (
            <label key={r.id} className={`alerts-chip${draft.recipientIds.includes(r.id) ? ' on' : ''}`}>
              <input type="checkbox" data-testid="alerts-policy-recipient" data-recipient-id={r.id} checked={draft.recipientIds.includes(r.id)} onChange={(e) => set('recipientIds', toggle(draft.recipientIds, r.id, e.currentTarget.checked))} /> {r.name}
            </label>
          ))}
        </div>
        {field('groups', 'And these groups (comma-separated)', <input value={draft.groups} onChange={(e) => set('groups', e.currentTarget.value)} />)}
        <label className="field inline">
          <input type="checkbox" checked={draft.updates} onChange={(e) => set('updates', e.currentTarget.checked)} /> Tell them when it is acknowledged, and when a camera is back
        </label>
      </fieldset>
      <fieldset className="alerts-fieldset">
        <legend>How often</legend>
        {field('cooldownSeconds', 'Cooldown per camera and rule type, seconds (0: none)', <input className="alerts-number" type="number" min={0} data-testid="alerts-policy-cooldown" value={draft.cooldownSeconds} onChange={(e) => set('cooldownSeconds', e.currentTarget.value)} />)}
        {field('maxPerHour', 'At most, alerts per hour', <input className="alerts-number" type="number" min={1} value={draft.maxPerHour} onChange={(e) => set('maxPerHour', e.currentTarget.value)} />)}
        {field('digestSeconds', 'Digest of held-back alerts after, seconds (0: no digest)', <input className="alerts-number" type="number" min={0} value={draft.digestSeconds} onChange={(e) => set('digestSeconds', e.currentTarget.value)} />)}
        <div className={`field inline${problems.quietTo ? ' invalid' : ''}`}>
          <label>
            <input type="checkbox" checked={draft.quiet} onChange={(e) => set('quiet', e.currentTarget.checked)} /> Quiet hours
          </label>
          <input type="time" value={draft.quietFrom} disabled={!draft.quiet} onChange={(e) => set('quietFrom', e.currentTarget.value)} aria-label="Quiet from" />–
          <input type="time" value={draft.quietTo} disabled={!draft.quiet} onChange={(e) => set('quietTo', e.currentTarget.value)} aria-label="Quiet until" />
          <label>
            <input type="checkbox" checked={draft.criticalOverride} disabled={!draft.quiet} onChange={(e) => set('criticalOverride', e.currentTarget.checked)} /> critical alerts still go out
          </label>
          {problems.quietTo && <span className="field-error">{problems.quietTo}</span>}
        </div>
        <div className={`field inline${problems.escalateMinutes ? ' invalid' : ''}`}>
          <label>
            <input type="checkbox" checked={draft.escalate} onChange={(e) => set('escalate', e.currentTarget.checked)} /> Escalate when not acknowledged after
          </label>
          <input className="alerts-number" type="number" min={1} value={draft.escalateMinutes} disabled={!draft.escalate} onChange={(e) => set('escalateMinutes', e.currentTarget.value)} aria-label="Escalate after minutes" /> min to
          {alerts.recipients.map((r) => (
            <label key={r.id} className={`alerts-chip${draft.escalateRecipientIds.includes(r.id) ? ' on' : ''}`}>
              <input type="checkbox" disabled={!draft.escalate} checked={draft.escalateRecipientIds.includes(r.id)} onChange={(e) => set('escalateRecipientIds', toggle(draft.escalateRecipientIds, r.id, e.currentTarget.checked))} /> {r.name}
            </label>
          ))}
          <input value={draft.escalateGroups} disabled={!draft.escalate} placeholder="groups" onChange={(e) => set('escalateGroups', e.currentTarget.value)} aria-label="Escalate to groups" />
          {problems.escalateMinutes && <span className="field-error">{problems.escalateMinutes}</span>}
        </div>
      </fieldset>
      {problems.form && <div className="form-error">{problems.form}</div>}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="alerts-policy-save">
          Save policy
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
