// The desktop channel in the app: each `alert.banner` as a banner across the top of the
// screen, in every window and browser showing this engine. High and critical ones stay until
// dismissed; the others go by themselves.
import { useEffect, useState } from 'react';
import type { AlertBanner } from '../../../shared/alerts';
import type { EngineListener } from '../../app/useEngine';
import { addBanner, bannerLifetimeMs } from './format';

export function AlertBanners({ listen }: { listen(listener: EngineListener): () => void }) {
  const [banners, setBanners] = useState<AlertBanner[]>([]);
  const dismiss = (alertId: string) => setBanners((list) => list.filter((b) => b.alertId !== alertId));

  useEffect(
    () =>
      listen((event) => {
        if (event.type !== 'alert.banner') return;
        setBanners((list) => addBanner(list, event.banner));
        const lifetime = bannerLifetimeMs(event.banner.severity);
        if (lifetime !== null) setTimeout(() => dismiss(event.banner.alertId), lifetime);
      }),
    [listen],
  );

  if (banners.length === 0) return null;
  return (
    <div className="alert-banners" data-testid="alert-banners" role="alert" aria-live="assertive">
      {banners.map((b) => (
        <div key={b.alertId} className={`alert-banner sev-${b.severity}`} data-testid="alert-banner" data-alert-id={b.alertId} data-severity={b.severity} data-kind={b.kind}>
          <span className={`sev-bar sev-bg-${b.severity}`} aria-hidden="true" />
          <div className="alert-banner-body">
            <div className="alert-banner-title">{b.title}</div>
            <div className="alert-banner-text">{b.text.split('\n').filter((line) => !line.startsWith('To acknowledge')).slice(0, 4).join(' · ')}</div>
          </div>
          <button type="button" className="icon" data-testid="alert-banner-dismiss" onClick={() => dismiss(b.alertId)} title="Dismiss">
            ×
          </button>
        </div>
      ))}
      {banners.length > 1 && (
        <button type="button" className="alert-banners-clear" onClick={() => setBanners([])}>
          Dismiss all
        </button>
      )}
    </div>
  );
}
