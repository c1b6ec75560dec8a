// When the clip classifier runs: a fight needs at least two people within reach of each
// other. Running the model only then keeps a busy site's GPU (or CPU) for detection, and
// keeps a lone person waving their arms from ever being scored.
//
// "Close" scales with the people themselves, since a camera sees near people tall and far
// ones short: two people are close when their boxes' centres are within CLOSE_FACTOR times
// their mean box height (1.5: an arm's reach and a step, for people standing side by side
// or face to face). Groups are chains of close pairs, so three people in a scuffle are one
// group even when the outer two are further apart.
import type { Box } from '../../../shared/detection';

export const CLOSE_FACTOR = 1.5;

/** Centre distance at or under `factor` x the pair's mean box height. */
export function areClose(a: Box, b: Box, factor = CLOSE_FACTOR): boolean {
  const height = (a[3] - a[1] + (b[3] - b[1])) / 2;
  if (!(height > 0)) return false;
  const dx = (a[0] + a[2] - b[0] - b[2]) / 2;
  const dy = (a[1] + a[3] - b[1] - b[3]) / 2;
  return Math.hypot(dx, dy) <= factor * height;
}

/**
 * Groups of two or more people linked by close pairs (connected components), each as the
 * indices of its boxes, in input order. Boxes must be in pixels (one scale for x and y).
 */
export function closeGroups(boxes: readonly Box[], factor = CLOSE_FACTOR): number[][] {
  const parent = boxes.map((_, index) => index);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (areClose(boxes[i]!, boxes[j]!, factor)) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, number[]>();
  boxes.forEach((_, index) => {
    const key = root(index);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return [...groups.values()].filter((group) => group.length >= 2);
}

/** The smallest box holding all of `boxes`; null for none. */
export function unionBox(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  return boxes.reduce<Box>((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}
