// Pure grid logic: layouts, tile order and paging. No DOM, so it is unit-tested under Node.

export const LAYOUTS = [1, 4, 9, 16, 25, 36] as const;
export type Layout = (typeof LAYOUTS)[number];

export const PREF_LAYOUT = 'grid.layout';
export const PREF_ORDER = 'grid.order';

export function isLayout(value: unknown): value is Layout {
  return typeof value === 'number' && (LAYOUTS as readonly number[]).includes(value);
}

/** Columns (= rows) of a square layout. */
export function layoutColumns(layout: Layout): number {
  return Math.round(Math.sqrt(layout));
}

/** The smallest layout that shows every camera at once (36 at most). */
export function fitLayout(cameraCount: number): Layout {
  return LAYOUTS.find((l) => l >= cameraCount) ?? 36;
}

/** A stored layout, or the one that fits the cameras when nothing (valid) is stored. */
export function parseLayout(stored: unknown, cameraCount: number): Layout {
  return isLayout(stored) ? stored : fitLayout(cameraCount);
}

/** A stored order: the string ids, deduplicated; anything else is ignored. */
export function parseOrder(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  for (const id of stored) if (typeof id === 'string' && id.length > 0) seen.add(id);
  return [...seen];
}

/**
 * The display order: ids from the saved order that still exist, in that order, then the
 * cameras the saved order does not know yet, in the engine's order.
 */
export function orderIds(cameraIds: readonly string[], saved: readonly string[]): string[] {
  const present = new Set(cameraIds);
  const result: string[] = [];
  const used = new Set<string>();
  for (const id of saved) {
    if (present.has(id) && !used.has(id)) {
      result.push(id);
      used.add(id);
    }
  }
  for (const id of cameraIds) {
    if (!used.has(id)) {
      result.push(id);
      used.add(id);
    }
  }
  return result;
}

/** Sorts items (anything with an id) by `orderIds`. */
export function applyOrder<T extends { id: string }>(items: readonly T[], saved: readonly string[]): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return orderIds(
    items.map((item) => item.id),
    saved,
  ).map((id) => byId.get(id) as T);
}

/**
 * Drag `fromId` onto `toId`: the two tiles swap places (what an operator expects in a
 * fixed grid). Unknown ids or a drop onto itself leave the order unchanged.
 */
export function swapInOrder(order: readonly string[], fromId: string, toId: string): string[] {
  const from = order.indexOf(fromId);
  const to = order.indexOf(toId);
  if (from < 0 || to < 0 || from === to) return [...order];
  const next = [...order];
  next[from] = toId;
  next[to] = fromId;
  return next;
}

/** Drag `id` onto an empty cell at absolute position `index`: it moves there (or to the end). */
export function moveToIndex(order: readonly string[], id: string, index: number): string[] {
  const from = order.indexOf(id);
  if (from < 0) return [...order];
  const next = order.filter((x) => x !== id);
  const at = Math.max(0, Math.min(index, next.length));
  next.splice(at, 0, id);
  return next;
}

export function pageCount(total: number, layout: Layout): number {
  return Math.max(1, Math.ceil(total / layout));
}

export function clampPage(page: number, total: number, layout: Layout): number {
  if (!Number.isFinite(page)) return 0;
  return Math.max(0, Math.min(Math.trunc(page), pageCount(total, layout) - 1));
}

/** The items on one page plus how many empty cells fill the rest of the grid. */
export function pageSlice<T>(items: readonly T[], layout: Layout, page: number): { items: T[]; empty: number; page: number; pages: number } {
  const p = clampPage(page, items.length, layout);
  const slice = items.slice(p * layout, p * layout + layout);
  return { items: slice, empty: layout - slice.length, page: p, pages: pageCount(items.length, layout) };
}

/** The page that shows the camera at absolute position `index`. */
export function pageOf(index: number, layout: Layout): number {
  return Math.max(0, Math.floor(index / layout));
}
