// Which detection goes to which track. Greedy "best pair first" is what many trackers use,
// but when two people cross, one pair that is slightly better can steal the detection that
// the other track needed and leave that track with nothing, which is exactly when ids swap.
// The Hungarian method finds the pairing with the smallest total cost instead; at the sizes
// one camera produces (tens of objects) its O(n²·m) is a few microseconds.

/**
 * Minimum-cost assignment of rows to columns (Kuhn–Munkres with row and column potentials,
 * the shortest-augmenting-path form). `cost` is row-major, rows × cols. Every row gets a
 * column when rows <= cols, and every column a row otherwise; callers mark pairs they do not
 * accept with a high cost and drop them afterwards.
 * Returns, for each row, its column or -1.
 */
export function minCostAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (cost.length !== rows * cols) throw new RangeError(`cost has ${cost.length} entries, expected ${rows} × ${cols}`);
  if (rows === 0 || cols === 0) return new Int32Array(rows).fill(-1);
  if (rows <= cols) return solve(cost, rows, cols);
  // The solver needs at least as many columns as rows: solve the transposed problem.
  const transposed = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) transposed[c * rows + r] = cost[r * cols + c]!;
  const colToRow = solve(transposed, cols, rows);
  const rowToCol = new Int32Array(rows).fill(-1);
  colToRow.forEach((row, col) => {
    if (row >= 0) rowToCol[row] = col;
  });
  return rowToCol;
}

/** n <= m. Arrays are 1-based with slot 0 as the "virtual" column the search starts from. */
function solve(cost: Float64Array, n: number, m: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  /** rowOf[j]: the row holding column j (1-based, 0 = free). */
  const rowOf = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);

  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    // Grow a tree of tight edges from row i until it reaches a free column.
    do {
      used[j0] = 1;
      const i0 = rowOf[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[(i0 - 1) * m + (j - 1)]! - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOf[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    // Flip the augmenting path back to the root.
    do {
      const j1 = way[j0]!;
      rowOf[j0] = rowOf[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  const rowToCol = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (rowOf[j]! > 0) rowToCol[rowOf[j]! - 1] = j - 1;
  return rowToCol;
}
