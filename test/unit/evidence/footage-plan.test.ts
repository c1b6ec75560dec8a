import { describe, expect, it } from 'vitest';
import { planFootage, quoteConcatPath } from '../../../src/main/engine/evidence/footage-plan';

const T0 = 1_700_000_000_000;
const seg = (i: number, path = `/rec/${i}.mp4`) => ({ path, startMs: T0 + i * 10_000, endMs: T0 + (i + 1) * 10_000 });

describe('planFootage', () => {
  it('takes only the overlapping segments and seeks from the first one', () => {
    const plan = planFootage([seg(3), seg(0), seg(1), seg(2)], { from: T0 + 7_300, to: T0 + 15_100 });
    expect(plan?.segments.map((s) => s.path)).toEqual(['/rec/0.mp4', '/rec/1.mp4']);
    expect(plan).toMatchObject({ seekS: 7.3, untilS: 15.1, clipStart: T0 + 7_300, clipEnd: T0 + 15_100, coverage: [{ from: T0 + 7_300, to: T0 + 15_100 }] });
    expect(plan?.concatList).toBe("ffconcat version 1.0\nfile '/rec/0.mp4'\noutpoint 10.000\nduration 10.000\nfile '/rec/1.mp4'\nduration 10.000\n");
  });

  it('keeps a recording gap as time, and reports it as a hole in the coverage', () => {
    const plan = planFootage([seg(0), seg(2)], { from: T0 + 5_000, to: T0 + 25_000 });
    expect(plan?.concatList).toContain("file '/rec/0.mp4'\noutpoint 20.000\nduration 20.000\n");
    expect(plan?.coverage).toEqual([
      { from: T0 + 5_000, to: T0 + 10_000 },
      { from: T0 + 20_000, to: T0 + 25_000 },
    ]);
  });

  it('narrows the clip to the footage when the range starts before or ends after it', () => {
    const plan = planFootage([seg(1), seg(2)], { from: T0, to: T0 + 60_000 });
    expect(plan).toMatchObject({ seekS: 0, untilS: 20, clipStart: T0 + 10_000, clipEnd: T0 + 30_000 });
  });

  it('cuts overlapping segments at the next start and drops ones inside another', () => {
    const plan = planFootage(
      [
        { path: '/a.mp4', startMs: T0, endMs: T0 + 10_500 },
        { path: '/inside.mp4', startMs: T0 + 2_000, endMs: T0 + 4_000 },
        { path: '/b.mp4', startMs: T0 + 10_000, endMs: T0 + 20_000 },
      ],
      { from: T0, to: T0 + 20_000 },
    );
    expect(plan?.segments.map((s) => s.path)).toEqual(['/a.mp4', '/b.mp4']);
    expect(plan?.concatList).toContain("file '/a.mp4'\noutpoint 10.000\n");
  });

  it('is null when nothing overlaps, touching ends included', () => {
    expect(planFootage([seg(0)], { from: T0 + 10_000, to: T0 + 20_000 })).toBeNull();
    expect(planFootage([], { from: T0, to: T0 + 1 })).toBeNull();
  });
});

describe('quoteConcatPath', () => {
  it('keeps spaces, backslashes and quotes literal', () => {
    expect(quoteConcatPath("/rec/it's here.mp4")).toBe("'/rec/it'\\''s here.mp4'");
    expect(quoteConcatPath('C:\\rec\\a.mp4')).toBe("'C:\\rec\\a.mp4'");
  });
});
