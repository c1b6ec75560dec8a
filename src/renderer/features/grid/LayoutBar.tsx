import { LAYOUTS, type Layout } from './layout';

export function LayoutBar({ layout, onLayout }: { layout: Layout; onLayout(layout: Layout): void }) {
  return (
    <div className="layout-bar" role="group" aria-label="Grid layout">
      {LAYOUTS.map((n) => (
        <button
          key={n}
          type="button"
          className={n === layout ? 'active' : undefined}
          data-testid={`layout-${n}`}
          aria-pressed={n === layout}
          title={`${n} camera${n === 1 ? '' : 's'}`}
          onClick={() => onLayout(n)}
        >
          {n}
        </button>
      ))}
    </div>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  if (pages <= 1) return null;
  return (
    <div className="pager" role="group" aria-label="Grid pages">
      <button type="button" data-testid="page-prev" disabled={page <= 0} onClick={() => onPage(page - 1)} title="Previous page">
        ‹
      </button>
      <span data-testid="page-indicator" data-page={page} data-pages={pages}>
        {page + 1}/{pages}
      </span>
      <button type="button" data-testid="page-next" disabled={page >= pages - 1} onClick={() => onPage(page + 1)} title="Next page">
        ›
      </button>
    </div>
  );
}
