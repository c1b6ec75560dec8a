// The alert settings screen: channel states (WhatsApp linking included), a test send, the
// site's settings, recipients and groups, policies, and the delivery log. It says plainly
// what WhatsApp is and is not, because people will rely on it at night.
import { useState, type ReactNode } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { ApiClient } from '../../api/client';
import type { EngineListener } from '../../app/useEngine';
import { ProblemLine } from '../incidents/ProblemLine';
import { ChannelCards } from './ChannelCards';
import { DeliveryLog } from './DeliveryLog';
import { PoliciesEditor } from './PoliciesEditor';
import { RecipientsEditor } from './RecipientsEditor';
import { SiteSettingsForm } from './SiteSettingsForm';
import { useAlerts, type Problem } from './useAlerts';

export interface AlertsPanelProps {
  client: ApiClient;
  listen(listener: EngineListener): () => void;
  cameras: readonly CameraView[];
  onClose(): void;
}

export function AlertsPanel({ client, listen, cameras, onClose }: AlertsPanelProps) {
  const alerts = useAlerts(client, listen);
  const [testProblem, setTestProblem] = useState<Problem | null>(null);
  const [testing, setTesting] = useState(false);
  const test = async () => {
    setTesting(true);
    setTestProblem(await alerts.testSend());
    setTesting(false);
  };
  return (
    <aside className="side-panel alerts-panel" data-testid="alerts-panel" aria-label="Alerts">
      <div className="panel-head">
        <h2>Alerts</h2>
        <button type="button" className="primary" data-testid="alerts-test-send" disabled={!alerts.loaded || testing} onClick={() => void test()} title="Send a test alert to every enabled recipient and this workstation">
          {testing ? 'Sending…' : 'Send test alert'}
        </button>
        <button type="button" className="icon" data-testid="alerts-close" onClick={onClose} title="Close">
          ×
        </button>
      </div>
      <p className="alerts-warning" data-testid="alerts-whatsapp-warning">
        <strong>WhatsApp is an unofficial integration.</strong> It sends from the site&apos;s own WhatsApp number (linked like WhatsApp Web), on a best-effort basis:
        WhatsApp may delay, limit or block it at any time. Never make it the only channel for life-safety alarms; keep the desktop alarm and a webhook to
        your alarm receiving centre.
      </p>
      {testProblem && <ProblemLine problem={testProblem} testId="alerts-test-error" />}
      {alerts.loadError && <ProblemLine problem={alerts.loadError} testId="alerts-load-error" />}
      {!alerts.loaded || !alerts.settings ? (
        !alerts.loadError && <div className="muted">Loading…</div>
      ) : (
        <>
          <Section title="Channels">
            <ChannelCards client={client} channels={alerts.channels} />
          </Section>
          <Section title="Site">
            <SiteSettingsForm alerts={alerts} settings={alerts.settings} />
          </Section>
          <Section title={`Recipients (${alerts.recipients.length})`}>
            <RecipientsEditor alerts={alerts} />
          </Section>
          <Section title={`Policies (${alerts.settings.policies.length})`}>
            <PoliciesEditor alerts={alerts} settings={alerts.settings} cameras={cameras} />
          </Section>
          <Section title="Delivery log" open>
            <DeliveryLog alerts={alerts} />
          </Section>
        </>
      )}
    </aside>
  );
}

function Section({ title, open = true, children }: { title: string; open?: boolean; children: ReactNode }) {
  return (
    <details className="alerts-section" open={open}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}
