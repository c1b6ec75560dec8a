// Site name, time zone and the camera watch: the settings every policy shares.
import { useState, type FormEvent } from 'react';
import type { AlertSettings } from '../../../shared/alerts';
import { ProblemLine } from '../incidents/ProblemLine';
import { SEVERITIES } from './format';
import type { Alerts, Problem } from './useAlerts';

export function SiteSettingsForm({ alerts, settings }: { alerts: Alerts; settings: AlertSettings }) {
  const [siteName, setSiteName] = useState(settings.siteName);
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [watch, setWatch] = useState(settings.cameraOffline.enabled);
  const [afterMinutes, setAfterMinutes] = useState(String(settings.cameraOffline.afterMs / 60_000));
  const [severity, setSeverity] = useState(settings.cameraOffline.severity);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const afterMs = Math.round(Number(afterMinutes) * 60_000);
    const result = await alerts.saveSettings({ ...settings, siteName, timeZone, cameraOffline: { enabled: watch, afterMs, severity } });
    setProblem(result);
    setSaved(result === null);
  };

  return (
    <form className="alerts-site" data-testid="alerts-site" onSubmit={submit}>
      <label className="field">
        <span className="field-label">Site name (named in every message)</span>
        <input data-testid="alerts-site-name" value={siteName} maxLength={80} onChange={(e) => setSiteName(e.currentTarget.value)} />
      </label>
      <label className="field">
        <span className="field-label">Time zone (local time in messages and quiet hours)</span>
        <input data-testid="alerts-time-zone" value={timeZone} placeholder="Europe/London" onChange={(e) => setTimeZone(e.currentTarget.value)} />
      </label>
      <div className="field inline">
        <label>
          <input type="checkbox" data-testid="alerts-camera-watch" checked={watch} onChange={(e) => setWatch(e.currentTarget.checked)} /> Alert when a camera without a camera-offline rule is down for
        </label>
        <input className="alerts-number" type="number" min={1} step={1} value={afterMinutes} onChange={(e) => setAfterMinutes(e.currentTarget.value)} aria-label="Minutes down" /> min, as
        <select value={severity} onChange={(e) => setSeverity(e.currentTarget.value as typeof severity)} aria-label="Severity">
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="alerts-site-save">
          Save
        </button>
        {saved && <span className="muted">Saved.</span>}
      </div>
      {problem && <ProblemLine problem={problem} testId="alerts-site-error" />}
    </form>
  );
}
