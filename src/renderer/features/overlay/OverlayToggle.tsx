// The tile's own switch for detection boxes, and the header's switch for the whole grid.

function BoxesIcon() {
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <rect x="1.5" y="3.5" width="8" height="9" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="8.5" y="1.5" width="6" height="6" fill="none" stroke="currentColor" strokeWidth="1.4" strokeDasharray="2 1.5" />
    </svg>
  );
}

export function OverlayToggle({ shown, gridEnabled, onToggle }: { shown: boolean; gridEnabled: boolean; onToggle(): void }) {
  const title = !gridEnabled ? 'Detection boxes are off for the whole grid' : shown ? 'Hide detection boxes on this camera' : 'Show detection boxes on this camera';
  return (
    <button
      type="button"
      className="tile-button overlay-toggle"
      data-testid="overlay-toggle"
      aria-pressed={shown}
      aria-label={title}
      title={title}
      disabled={!gridEnabled}
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
      onDoubleClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <BoxesIcon />
    </button>
  );
}

export function OverlaysToggle({ enabled, onChange }: { enabled: boolean; onChange(enabled: boolean): void }) {
  return (
    <button
      type="button"
      data-testid="overlays-toggle"
      aria-pressed={enabled}
      className={`overlays-toggle${enabled ? ' active' : ''}`}
      title={enabled ? 'Hide detection boxes on every camera' : 'Show detection boxes on cameras'}
      onClick={() => onChange(!enabled)}
    >
      <BoxesIcon /> Boxes
    </button>
  );
}
