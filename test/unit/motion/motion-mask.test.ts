import { describe, expect, it } from 'vitest';
import { rasterizeMasks, type MaskPolygon } from '../../../src/main/engine/motion/motion-mask';

function render(masks: MaskPolygon[], width: number, height: number): { watched: number; rows: string[] } {
  const bitmap = new Uint8Array(width * height);
  const watched = rasterizeMasks(masks, width, height, bitmap);
  const rows: string[] = [];
  for (let y = 0; y < height; y++) rows.push(Array.from(bitmap.subarray(y * width, (y + 1) * width), (v) => (v ? '#' : '.')).join(''));
  return { watched, rows };
}

describe('rasterizeMasks', () => {
  it('marks the pixels whose centre lies inside a polygon', () => {
    const { watched, rows } = render([[[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5]]], 8, 4);
    expect(rows).toEqual(['####....', '####....', '........', '........']);
    expect(watched).toBe(24);
  });

  it('handles triangles, overlaps (counted once) and polygons reaching past the picture', () => {
    const triangle: MaskPolygon = [[0, 0], [1, 0], [0, 1]];
    const { rows } = render([triangle], 4, 4);
    expect(rows).toEqual(['###.', '##..', '#...', '....']);
    const overlap = render([[[0, 0], [1, 0], [1, 0.5], [0, 0.5]], [[0, 0], [1, 0], [1, 1], [0, 1]]], 4, 4);
    expect(overlap.watched).toBe(0);
    const past = render([[[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1]]], 4, 4);
    expect(past.rows).toEqual(['....', '....', '..##', '..##']);
  });

  it('clears what a previous configuration marked, and ignores degenerate polygons', () => {
    const bitmap = new Uint8Array(16).fill(1);
    expect(rasterizeMasks([[[0, 0], [1, 1]]], 4, 4, bitmap)).toBe(16);
    expect(bitmap.every((v) => v === 0)).toBe(true);
  });
});
