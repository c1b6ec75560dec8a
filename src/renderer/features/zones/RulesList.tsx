// The rules of one camera: a row per rule with the fields its type uses.
import { useState, type ReactNode } from 'react';
import type { CrossingDirection, Line, RuleType, Severity, Zone } from '../../../shared/rules';
import {
  CLASS_OPTIONS,
  DAY_LABELS,
  DIRECTION_LABELS,
  DIRECTIONS,
  RULE_FIELDS,
  RULE_TYPE_LABELS,
  RULE_TYPES,
  SEVERITIES,
  toggleDay,
  type RuleForm,
} from './rule-form';
import { problemsOf, type Problems } from './validation';

export interface RulesListProps {
  rules: RuleForm[];
  zones: Zone[];
  lines: Line[];
  problems: Problems;
  onAdd(type: RuleType): void;
  onChange(rule: RuleForm): void;
  onRemove(id: string): void;
}

export function RulesList({ rules, zones, lines, problems, onAdd, onChange, onRemove }: RulesListProps) {
  const [type, setType] = useState<RuleType>('presence');
  return (
    <section className="zones-section" aria-label="Rules">
      <div className="zones-section-head">
        <h3>Rules</h3>
        <span className="muted">{rules.length}</span>
        <select data-testid="rule-type" value={type} onChange={(e) => setType(e.target.value as RuleType)} aria-label="Type of the new rule">
          {RULE_TYPES.map((t) => (
            <option key={t} value={t}>
              {RULE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <button type="button" data-testid="rule-add" onClick={() => onAdd(type)}>
          + Rule
        </button>
      </div>
      <ul className="zones-list">
        {rules.map((rule) => (
          <RuleRow key={rule.id} rule={rule} zones={zones} lines={lines} problems={problems} onChange={onChange} onRemove={() => onRemove(rule.id)} />
        ))}
        {rules.length === 0 && <li className="muted empty-list">No rules: nothing on this camera raises an incident.</li>}
      </ul>
    </section>
  );
}

interface RuleRowProps {
  rule: RuleForm;
  zones: Zone[];
  lines: Line[];
  problems: Problems;
  onChange(rule: RuleForm): void;
  onRemove(): void;
}

function RuleRow({ rule, zones, lines, problems, onChange, onRemove }: RuleRowProps) {
  const [open, setOpen] = useState(true);
  const key = `rule:${rule.id}`;
  const problem = (field: string) => problems[`${key}:${field}`];
  const set = <K extends keyof RuleForm>(field: K, value: RuleForm[K]) => onChange({ ...rule, [field]: value });
  const fields = RULE_FIELDS[rule.type];
  const own = problems[key];
  const count = problemsOf(problems, key).length;
  const zoneChoices = zones.filter((z) => z.kind === 'zone' || z.id === rule.zoneId);

  return (
    <li className={`zones-rule${rule.enabled ? '' : ' disabled'}${count > 0 ? ' invalid' : ''}`} data-testid="rule-item" data-rule-id={rule.id} data-rule-type={rule.type}>
      <div className="zones-row-head">
        <button type="button" className="icon" onClick={() => setOpen(!open)} aria-expanded={open} title={open ? 'Fold' : 'Unfold'}>
          {open ? '▾' : '▸'}
        </button>
        <input className="zones-name" data-testid="rule-name" value={rule.name} onChange={(e) => set('name', e.target.value)} aria-label="Rule name" />
        <label className="zones-check" title="Armed rules raise incidents">
          <input type="checkbox" data-testid="rule-enabled" checked={rule.enabled} onChange={(e) => set('enabled', e.target.checked)} /> on
        </label>
        <button type="button" className="icon" data-testid="rule-delete" onClick={onRemove} title="Delete rule">
          ×
        </button>
      </div>
      {problem('name') && <FieldError>{problem('name')}</FieldError>}
      {own && <FieldError>{own}</FieldError>}
      {!open && count > 0 && <FieldError>{count === 1 ? '1 problem' : `${count} problems`}: unfold to fix</FieldError>}
      {open && (
        <div className="zones-rule-fields">
          <Field label="Type">
            <select data-testid="rule-type-select" value={rule.type} onChange={(e) => set('type', e.target.value as RuleType)}>
              {RULE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {RULE_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Severity" error={problem('severity')}>
            <select data-testid="rule-severity" value={rule.severity} onChange={(e) => set('severity', e.target.value as Severity)}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          {fields.includes('classes') && (
            <Field label="Classes" error={problem('classes')} wide>
              <div className="zones-chips">
                {CLASS_OPTIONS.map((c) => (
                  <label key={c} className={`zones-chip${rule.classes.includes(c) ? ' on' : ''}`}>
                    <input
                      type="checkbox"
                      data-testid="rule-class"
                      data-class={c}
                      checked={rule.classes.includes(c)}
                      onChange={(e) => set('classes', e.target.checked ? [...rule.classes, c] : rule.classes.filter((x) => x !== c))}
                    />
                    {c}
                  </label>
                ))}
              </div>
            </Field>
          )}
          {fields.includes('zoneId') && (
            <Field label="Zone" error={problem('zoneId')}>
              <select data-testid="rule-zone" value={rule.zoneId} onChange={(e) => set('zoneId', e.target.value)}>
                <option value="">{rule.type === 'classifier' ? 'whole picture' : '— choose —'}</option>
                {zoneChoices.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.name}
                    {z.kind === 'mask' ? ' (mask)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {fields.includes('lineId') && (
            <Field label="Line" error={problem('lineId')}>
              <select data-testid="rule-line" value={rule.lineId} onChange={(e) => set('lineId', e.target.value)}>
                <option value="">— choose —</option>
                {lines.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {fields.includes('direction') && (
            <Field label="Direction" error={problem('direction')}>
              <select data-testid="rule-direction" value={rule.direction} onChange={(e) => set('direction', e.target.value as CrossingDirection | '')}>
                <option value="">the line's own</option>
                {DIRECTIONS.map((d) => (
                  <option key={d} value={d}>
                    {DIRECTION_LABELS[d]}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {fields.includes('minScore') && <NumberField label="Min score (0-1)" testId="rule-min-score" value={rule.minScore} error={problem('minScore')} onChange={(v) => set('minScore', v)} />}
          {fields.includes('atLeast') && <NumberField label="At least (objects)" testId="rule-at-least" value={rule.atLeast} error={problem('atLeast')} onChange={(v) => set('atLeast', v)} />}
          {fields.includes('dwellS') && <NumberField label="Dwell (s)" testId="rule-dwell" value={rule.dwellS} error={problem('dwellS')} onChange={(v) => set('dwellS', v)} />}
          {fields.includes('afterS') && <NumberField label="Offline for (s)" testId="rule-after" value={rule.afterS} error={problem('afterS')} onChange={(v) => set('afterS', v)} />}
          {fields.includes('label') && (
            <Field label="Label" error={problem('label')}>
              <input data-testid="rule-label" value={rule.label} onChange={(e) => set('label', e.target.value)} />
            </Field>
          )}
          {fields.includes('threshold') && <NumberField label="Threshold (0-1)" testId="rule-threshold" value={rule.threshold} error={problem('threshold')} onChange={(v) => set('threshold', v)} />}
          {fields.includes('minDurationS') && (
            <NumberField label="For at least (s)" testId="rule-min-duration" value={rule.minDurationS} error={problem('minDurationS')} onChange={(v) => set('minDurationS', v)} />
          )}
          <Schedule rule={rule} problems={problems} onChange={onChange} />
        </div>
      )}
    </li>
  );
}

function Schedule({ rule, problems, onChange }: { rule: RuleForm; problems: Problems; onChange(rule: RuleForm): void }) {
  const key = `rule:${rule.id}`;
  const setWindow = (index: number, patch: Partial<RuleForm['schedule'][number]>) =>
    onChange({ ...rule, schedule: rule.schedule.map((w, i) => (i === index ? { ...w, ...patch } : w)) });
  return (
    <div className="zones-schedule wide" data-testid="rule-schedule">
      <div className="zones-schedule-head">
        <span className="field-label">Armed</span>
        <span className="muted">{rule.schedule.length === 0 ? 'always' : 'in these windows'}</span>
        <button
          type="button"
          data-testid="schedule-add"
          onClick={() => onChange({ ...rule, schedule: [...rule.schedule, { days: [1, 2, 3, 4, 5], from: '18:00', to: '06:00' }] })}
          disabled={rule.schedule.length >= 28}
        >
          + Window
        </button>
      </div>
      {rule.schedule.map((w, i) => (
        <div key={i} className="zones-window" data-testid="schedule-window">
          <div className="zones-days">
            {DAY_LABELS.map((label, day) => (
              <label key={label} className={`zones-chip${w.days.includes(day) ? ' on' : ''}`}>
                <input type="checkbox" checked={w.days.includes(day)} onChange={() => setWindow(i, { days: toggleDay(w.days, day) })} />
                {label}
              </label>
            ))}
          </div>
          <input type="time" aria-label="From" value={w.from} onChange={(e) => setWindow(i, { from: e.target.value })} />
          <span className="muted">to</span>
          <input
            type="text"
            className="zones-time"
            aria-label="To (HH:MM, 24:00 for midnight)"
            placeholder="HH:MM"
            value={w.to}
            onChange={(e) => setWindow(i, { to: e.target.value })}
          />
          <button type="button" className="icon" title="Remove window" onClick={() => onChange({ ...rule, schedule: rule.schedule.filter((_, j) => j !== i) })}>
            ×
          </button>
          {problems[`${key}:schedule.${i}`] && <FieldError>{problems[`${key}:schedule.${i}`]}</FieldError>}
        </div>
      ))}
      {problems[`${key}:schedule`] && <FieldError>{problems[`${key}:schedule`]}</FieldError>}
      {(rule.schedule.length > 0 || problems[`${key}:timeZone`]) && (
        <Field label="Time zone" error={problems[`${key}:timeZone`]}>
          <input data-testid="rule-time-zone" value={rule.timeZone} onChange={(e) => onChange({ ...rule, timeZone: e.target.value })} />
        </Field>
      )}
    </div>
  );
}

function Field({ label, error, wide, children }: { label: string; error?: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field${error ? ' invalid' : ''}${wide ? ' wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error && <FieldError>{error}</FieldError>}
    </label>
  );
}

function NumberField({ label, testId, value, error, onChange }: { label: string; testId: string; value: string; error?: string; onChange(value: string): void }) {
  return (
    <Field label={label} error={error}>
      <input data-testid={testId} inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

export function FieldError({ children }: { children: ReactNode }) {
  return (
    <span className="field-error" data-testid="zones-field-error">
      {children}
    </span>
  );
}
