// When two or more people count as close together: the trigger of the clip classifier.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../../src/shared/detection';
import { areClose, closeGroups, unionBox } from '../../../src/main/engine/classify/proximity';

/** A person 100 px tall standing with the box's centre at (x, y). */
const person = (x: number, y: number, height = 100): Box => [x - height / 4, y - height / 2, x + height / 4, y + height / 2];

describe('areClose', () => {
  it('is within 1.5 x the mean box height between centres', () => {
    expect(areClose(person(0, 0), person(150, 0))).toBe(true);
    expect(areClose(person(0, 0), person(151, 0))).toBe(false);
    expect(areClose(person(0, 0), person(90, 120))).toBe(true); // 150 px diagonally
  });

  it('scales with the people: far (short) people must stand nearer in pixels', () => {
    expect(areClose(person(0, 0, 40), person(70, 0, 40))).toBe(false);
    expect(areClose(person(0, 0, 40), person(55, 0, 40))).toBe(true);
    // A near and a far person: the mean of their heights.
    expect(areClose(person(0, 0, 120), person(120, 0, 40))).toBe(true);
    expect(areClose(person(0, 0, 120), person(121, 0, 40))).toBe(false);
  });

  it('takes a factor, and never counts boxes without height', () => {
    expect(areClose(person(0, 0), person(150, 0), 1)).toBe(false);
    expect(areClose([0, 0, 10, 0], [1, 0, 11, 0])).toBe(false);
  });
});

describe('closeGroups', () => {
  it('finds nothing for one person or for people far apart', () => {
    expect(closeGroups([person(0, 0)])).toEqual([]);
    expect(closeGroups([person(0, 0), person(400, 0), person(800, 0)])).toEqual([]);
    expect(closeGroups([])).toEqual([]);
  });

  it('chains close pairs into one group, and keeps separate groups apart', () => {
    // 0-1 close, 1-2 close (0-2 are 280 px apart), 3-4 close far away, 5 alone.
    const boxes = [person(0, 0), person(140, 0), person(280, 0), person(1000, 0), person(1100, 0), person(2000, 0)];
    expect(closeGroups(boxes)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('unionBox holds every box', () => {
    expect(unionBox([[0, 5, 10, 20], [5, 0, 30, 10]])).toEqual([0, 0, 30, 20]);
    expect(unionBox([])).toBeNull();
  });
});
