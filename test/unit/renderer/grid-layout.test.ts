import { describe, expect, it } from 'vitest';
import {
  applyOrder,
  clampPage,
  fitLayout,
  isLayout,
  layoutColumns,
  LAYOUTS,
  moveToIndex,
  orderIds,
  pageCount,
  pageOf,
  pageSlice,
  parseLayout,
  parseOrder,
  swapInOrder,
} from '../../../src/renderer/features/grid/layout';

describe('layouts', () => {
  it('offers the six square layouts', () => {
    expect([...LAYOUTS]).toEqual([1, 4, 9, 16, 25, 36]);
    expect(LAYOUTS.map(layoutColumns)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fits the smallest layout that shows every camera, capped at 36', () => {
    expect(fitLayout(0)).toBe(1);
    expect(fitLayout(1)).toBe(1);
    expect(fitLayout(2)).toBe(4);
    expect(fitLayout(9)).toBe(9);
    expect(fitLayout(10)).toBe(16);
    expect(fitLayout(36)).toBe(36);
    expect(fitLayout(50)).toBe(36);
  });

  it('restores a stored layout and ignores junk', () => {
    expect(isLayout(16)).toBe(true);
    expect(isLayout(5)).toBe(false);
    expect(isLayout('16')).toBe(false);
    expect(parseLayout(25, 3)).toBe(25);
    expect(parseLayout(7, 3)).toBe(4);
    expect(parseLayout(undefined, 10)).toBe(16);
    expect(parseLayout(null, 1)).toBe(1);
  });
});

describe('tile order', () => {
  it('parses a stored order: strings only, no duplicates', () => {
    expect(parseOrder(['a', 'b', 'a', 3, '', null, 'c'])).toEqual(['a', 'b', 'c']);
    expect(parseOrder('a,b')).toEqual([]);
    expect(parseOrder(undefined)).toEqual([]);
  });

  it('keeps the saved order, drops removed cameras, appends new ones in engine order', () => {
    expect(orderIds(['a', 'b', 'c', 'd'], ['c', 'x', 'a'])).toEqual(['c', 'a', 'b', 'd']);
    expect(orderIds(['a', 'b'], [])).toEqual(['a', 'b']);
    expect(orderIds([], ['a'])).toEqual([]);
  });

  it('sorts camera objects by the saved order', () => {
    const cams = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(applyOrder(cams, ['c', 'a']).map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });

  it('swaps two tiles on drop', () => {
    expect(swapInOrder(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['c', 'b', 'a', 'd']);
    expect(swapInOrder(['a', 'b'], 'a', 'a')).toEqual(['a', 'b']);
    expect(swapInOrder(['a', 'b'], 'z', 'a')).toEqual(['a', 'b']);
  });

  it('moves a tile to an empty cell', () => {
    expect(moveToIndex(['a', 'b', 'c'], 'a', 2)).toEqual(['b', 'c', 'a']);
    expect(moveToIndex(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(moveToIndex(['a', 'b', 'c'], 'b', 99)).toEqual(['a', 'c', 'b']);
    expect(moveToIndex(['a'], 'z', 0)).toEqual(['a']);
  });

  it('round-trips through the stored form', () => {
    const order = swapInOrder(orderIds(['a', 'b', 'c'], []), 'a', 'b');
    const stored: unknown = JSON.parse(JSON.stringify(order));
    expect(orderIds(['a', 'b', 'c', 'd'], parseOrder(stored))).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('paging', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);

  it('counts pages (at least one)', () => {
    expect(pageCount(0, 4)).toBe(1);
    expect(pageCount(4, 4)).toBe(1);
    expect(pageCount(5, 4)).toBe(2);
    expect(pageCount(10, 9)).toBe(2);
    expect(pageCount(36, 36)).toBe(1);
  });

  it('clamps pages after cameras are removed or the layout grows', () => {
    expect(clampPage(5, 10, 4)).toBe(2);
    expect(clampPage(-1, 10, 4)).toBe(0);
    expect(clampPage(1, 10, 16)).toBe(0);
    expect(clampPage(Number.NaN, 10, 4)).toBe(0);
  });

  it('slices one page and pads with empty cells', () => {
    expect(pageSlice(ids, 4, 0)).toEqual({ items: ['c0', 'c1', 'c2', 'c3'], empty: 0, page: 0, pages: 3 });
    expect(pageSlice(ids, 4, 2)).toEqual({ items: ['c8', 'c9'], empty: 2, page: 2, pages: 3 });
    expect(pageSlice(ids, 4, 9).page).toBe(2);
    expect(pageSlice(ids, 16, 0)).toMatchObject({ empty: 6, pages: 1 });
    expect(pageSlice([], 1, 0)).toEqual({ items: [], empty: 1, page: 0, pages: 1 });
  });

  it('finds the page of a position', () => {
    expect(pageOf(0, 4)).toBe(0);
    expect(pageOf(4, 4)).toBe(1);
    expect(pageOf(8, 9)).toBe(0);
  });
});
