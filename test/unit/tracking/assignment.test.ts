import { describe, it, expect } from 'vitest';
import { minCostAssignment } from '../../../src/main/engine/tracking/assignment';

/** Smallest total cost over every way of giving each row a distinct column (rows <= cols). */
function bruteForce(cost: number[][], cols: number): number {
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const visit = (row: number, total: number) => {
    if (row === cost.length) {
      best = Math.min(best, total);
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      visit(row + 1, total + cost[row]![c]!);
      used[c] = false;
    }
  };
  visit(0, 0);
  return best;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('minCostAssignment', () => {
  it('finds the optimum where greedy best-pair-first does not', () => {
    // Greedy takes (0,0) at 0.1 and leaves row 1 with its 0.9; the optimum is 0.2 + 0.2.
    const cost = Float64Array.from([0.1, 0.2, 0.2, 0.9]);
    expect([...minCostAssignment(cost, 2, 2)]).toEqual([1, 0]);
  });

  it('matches brute force on random square and rectangular problems', () => {
    const random = seeded(42);
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + Math.floor(random() * 6);
      const cols = 1 + Math.floor(random() * 6);
      const matrix = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() < 0.3 ? 1 : Math.round(random() * 100) / 100)));
      const result = minCostAssignment(Float64Array.from(matrix.flat()), rows, cols);

      const taken = [...result].filter((c) => c >= 0);
      expect(new Set(taken).size).toBe(taken.length);
      expect(taken).toHaveLength(Math.min(rows, cols));
      const total = [...result].reduce((sum, c, r) => (c >= 0 ? sum + matrix[r]![c]! : sum), 0);
      const transposed = Array.from({ length: cols }, (_, c) => matrix.map((row) => row[c]!));
      const optimum = rows <= cols ? bruteForce(matrix, cols) : bruteForce(transposed, rows);
      expect(total).toBeCloseTo(optimum, 9);
    }
  });

  it('handles empty problems and rejects a cost matrix of the wrong size', () => {
    expect([...minCostAssignment(new Float64Array(0), 3, 0)]).toEqual([-1, -1, -1]);
    expect([...minCostAssignment(new Float64Array(0), 0, 4)]).toEqual([]);
    expect(() => minCostAssignment(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});
