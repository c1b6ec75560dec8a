import { useCallback, useEffect, useState } from 'react';
import type { Prefs } from '../../api/client';
import { isLayout, parseOrder, PREF_LAYOUT, PREF_ORDER, type Layout } from './layout';

export interface GridPrefs {
  loaded: boolean;
  /** The operator's chosen layout; null until one is chosen (then the grid fits the cameras). */
  layout: Layout | null;
  order: string[];
  setLayout(layout: Layout): void;
  setOrder(order: string[]): void;
}

/** Layout size and tile order, restored from and saved to prefs ('grid.layout', 'grid.order'). */
export function useGridPrefs(prefs: Prefs): GridPrefs {
  const [loaded, setLoaded] = useState(false);
  const [layout, setLayoutState] = useState<Layout | null>(null);
  const [order, setOrderState] = useState<string[]>([]);

  useEffect(() => {
    let cancelled = false;
    Promise.all([prefs.get(PREF_LAYOUT).catch(() => undefined), prefs.get(PREF_ORDER).catch(() => undefined)]).then(([storedLayout, storedOrder]) => {
      if (cancelled) return;
      if (isLayout(storedLayout)) setLayoutState(storedLayout);
      setOrderState(parseOrder(storedOrder));
      setLoaded(true);
    });
    return () => {
      cancelled = true;
    };
  }, [prefs]);

  const setLayout = useCallback(
    (next: Layout) => {
      setLayoutState(next);
      prefs.set(PREF_LAYOUT, next).catch(() => undefined);
    },
    [prefs],
  );
  const setOrder = useCallback(
    (next: string[]) => {
      setOrderState(next);
      prefs.set(PREF_ORDER, next).catch(() => undefined);
    },
    [prefs],
  );
  return { loaded, layout, order, setLayout, setOrder };
}
