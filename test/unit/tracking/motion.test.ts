import { describe, it, expect } from 'vitest';
import type { Box } from '../../../src/shared/detection';
import { MotionModel } from '../../../src/main/engine/tracking/motion';

const centre = (box: Box): [number, number] => [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];

describe('MotionModel', () => {
  it('predicts by elapsed time, whatever the gaps between observations', () => {
    // 50 px/s to the right, observed at irregular times.
    const at = (ms: number): Box => [100 + 0.05 * ms, 200, 140 + 0.05 * ms, 300];
    const model = new MotionModel(at(0), 0);
    for (const ms of [200, 300, 700, 3700, 3800, 4000]) model.observe(at(ms), ms);
    const [cx, cy] = centre(model.predict(7000));
    expect(Math.abs(cx - (120 + 350))).toBeLessThan(2);
    expect(cy).toBeCloseTo(250, 6);
  });

  it('does not trust a velocity from two jittery boxes 100 ms apart', () => {
    // 4 px of jitter in 100 ms would be 40 px/s if taken at face value.
    const model = new MotionModel([100, 100, 150, 220], 0);
    model.observe([104, 100, 154, 220], 100);
    const [cx] = centre(model.predict(1600));
    expect(cx - 129).toBeLessThan(15);
  });

  it('predicts the same from epoch timestamps as from small ones', () => {
    const predictFrom = (t0: number) => {
      const model = new MotionModel([0, 0, 10, 10], t0);
      for (let i = 1; i <= 5; i++) model.observe([i * 10, 0, i * 10 + 10, 10], t0 + i * 200);
      return model.predict(t0 + 2000);
    };
    const small = predictFrom(0);
    const epoch = predictFrom(1_760_000_000_000);
    epoch.forEach((v, i) => expect(v).toBeCloseTo(small[i]!, 6));
    // 50 px/s, trusted at 97 % from six observations over a second.
    expect(centre(small)[0]).toBeGreaterThan(102);
  });

  it('keeps the predicted size within 1.5x of the last observed one', () => {
    const model = new MotionModel([0, 0, 100, 200], 0);
    model.observe([0, 0, 60, 120], 400);
    const box = model.predict(10_000);
    expect(box[2] - box[0]).toBeCloseTo(40, 6);
    expect(box[3] - box[1]).toBeCloseTo(80, 6);
    // Before the last observation it is that observation.
    expect(model.predict(100)).toEqual([0, 0, 60, 120]);
  });
});
