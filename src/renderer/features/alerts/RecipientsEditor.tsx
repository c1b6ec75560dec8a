// Recipients and their groups: WhatsApp numbers (checked on WhatsApp when added) and webhook
// URLs (with an optional signing secret that is never shown again), who may acknowledge by
// reply, and which are switched on.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Recipient, RecipientFields as NewRecipient } from '../../../shared/alerts';
import { ProblemLine } from '../incidents/ProblemLine';
import { CHANNEL_LABELS, splitList } from './format';
import type { Alerts, Problem } from './useAlerts';

export function RecipientsEditor({ alerts }: { alerts: Alerts }) {
  const groups = [...new Set(alerts.recipients.flatMap((r) => r.groups))].sort();
  return (
    <div className="alerts-recipients" data-testid="alerts-recipients">
      <ul className="alerts-list">
        {alerts.recipients.map((r) => (
          <RecipientRow key={r.id} recipient={r} alerts={alerts} />
        ))}
        {alerts.recipients.length === 0 && <li className="muted empty-list">No recipients yet. The desktop channel needs none.</li>}
      </ul>
      {groups.length > 0 && <p className="muted">Groups: {groups.join(', ')}</p>}
      <AddRecipient alerts={alerts} />
    </div>
  );
}

function RecipientRow({ recipient, alerts }: { recipient: Recipient; alerts: Alerts }) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (work: Promise<Problem | null>) => setProblem(await work);
  return (
    <li className={`alerts-recipient${recipient.enabled ? '' : ' off'}`} data-testid="alerts-recipient" data-recipient-id={recipient.id} data-channel={recipient.channel}>
      <div className="alerts-row-head">
        <span className="alerts-row-name">{recipient.name}</span>
        <span className="alerts-tag">{CHANNEL_LABELS[recipient.channel]}</span>
        {recipient.mayAcknowledge && <span className="alerts-tag" title="May acknowledge incidents by replying ACK">ACK</span>}
        {!recipient.enabled && <span className="alerts-tag">off</span>}
        <div className="spacer" />
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          {editing ? 'Done' : 'Edit'}
        </button>
      </div>
      <div className="muted alerts-address" title={recipient.address}>
        {recipient.address}
        {recipient.groups.length > 0 && ` · ${recipient.groups.join(', ')}`}
        {recipient.hasSecret && ' · signed'}
      </div>
      {editing && (
        <RecipientFields
          initial={recipient}
          submitLabel="Save"
          onSubmit={(fields) => run(alerts.updateRecipient(recipient.id, fields))}
          extra={
            <button type="button" className="danger" data-testid="alerts-recipient-delete" onClick={() => void run(alerts.deleteRecipient(recipient.id))}>
              Delete
            </button>
          }
        />
      )}
      {problem && <ProblemLine problem={problem} testId="alerts-recipient-error" />}
    </li>
  );
}

/** What the form edits: everything but the channel, fixed when the recipient is added. */
type Fields = Omit<NewRecipient, 'channel'>;

function RecipientFields({ initial, submitLabel, onSubmit, extra, channel }: { initial?: Recipient; submitLabel: string; onSubmit(fields: Fields): Promise<unknown>; extra?: ReactNode; channel?: 'whatsapp' | 'webhook' }) {
  const kind = initial?.channel ?? channel ?? 'whatsapp';
  const [name, setName] = useState(initial?.name ?? '');
  const [address, setAddress] = useState(initial?.address ?? '');
  const [groups, setGroups] = useState(initial?.groups.join(', ') ?? '');
  const [mayAcknowledge, setMayAcknowledge] = useState(initial?.mayAcknowledge ?? kind === 'whatsapp');
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    // An empty secret field leaves the stored secret as it is.
    await onSubmit({ address, name, groups: splitList(groups), mayAcknowledge, enabled, ...(kind === 'webhook' && secret ? { secret } : {}) });
    setBusy(false);
  };
  return (
    <form className="alerts-recipient-form" onSubmit={submit}>
      <label className="field">
        <span className="field-label">Name</span>
        <input data-testid="alerts-recipient-name" value={name} maxLength={80} onChange={(e) => setName(e.currentTarget.value)} />
      </label>
      <label className="field">
        <span className="field-label">{kind === 'whatsapp' ? 'Phone number with country code, or a group id (…@g.us)' : 'Webhook URL (http:// or https://)'}</span>
        <input data-testid="alerts-recipient-address" value={address} placeholder={kind === 'whatsapp' ? '+44 7700 900123' : 'https://example.org/vigil-hook'} onChange={(e) => setAddress(e.currentTarget.value)} />
      </label>
      <label className="field">
        <span className="field-label">Groups (comma-separated, e.g. night shift, managers)</span>
        <input data-testid="alerts-recipient-groups" value={groups} onChange={(e) => setGroups(e.currentTarget.value)} />
      </label>
      {kind === 'webhook' && (
        <label className="field">
          <span className="field-label">{initial?.hasSecret ? 'New signing secret (empty keeps the current one)' : 'Signing secret (optional, 16+ characters): HMAC-SHA256 in X-Vigil-Signature'}</span>
          <input type="password" autoComplete="new-password" data-testid="alerts-recipient-secret" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
        </label>
      )}
      <div className="field inline">
        {kind === 'whatsapp' && (
          <label>
            <input type="checkbox" data-testid="alerts-recipient-ack" checked={mayAcknowledge} onChange={(e) => setMayAcknowledge(e.currentTarget.checked)} /> May acknowledge by replying ACK
          </label>
        )}
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> On
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="alerts-recipient-submit" disabled={busy || !name.trim() || !address.trim()}>
          {busy ? (kind === 'whatsapp' ? 'Checking…' : 'Saving…') : submitLabel}
        </button>
        {extra}
      </div>
    </form>
  );
}

function AddRecipient({ alerts }: { alerts: Alerts }) {
  const [channel, setChannel] = useState<'whatsapp' | 'webhook' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!channel) {
    return (
      <div className="form-actions">
        <button type="button" data-testid="alerts-add-whatsapp" onClick={() => setChannel('whatsapp')}>
          Add WhatsApp recipient
        </button>
        <button type="button" data-testid="alerts-add-webhook" onClick={() => setChannel('webhook')}>
          Add webhook
        </button>
      </div>
    );
  }
  return (
    <div className="alerts-add" data-testid="alerts-add-recipient">
      <h4>New {CHANNEL_LABELS[channel]} recipient</h4>
      <RecipientFields
        key={channel}
        channel={channel}
        submitLabel="Add"
        onSubmit={async (fields) => {
          const result = await alerts.addRecipient({ channel, ...fields, secret: fields.secret ?? null });
          setProblem(result);
          if (!result) setChannel(null);
        }}
        extra={
          <button type="button" onClick={() => setChannel(null)}>
            Cancel
          </button>
        }
      />
      {problem && <ProblemLine problem={problem} testId="alerts-add-error" />}
    </div>
  );
}
