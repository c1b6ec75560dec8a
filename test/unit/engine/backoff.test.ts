import { describe, it, expect } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from '../../../src/main/engine/cameras/backoff';

const NO_JITTER: BackoffPolicy = { ...DEFAULT_BACKOFF, jitter: 0 };
/** random() = 0.5 puts the jitter term at exactly zero. */
const middle = () => 0.5;

describe('backoffDelay', () => {
  it('the default policy is 1 s doubling up to 30 s with +/-20 % jitter', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1000, maxMs: 30_000, jitter: 0.2 });
  });

  it('doubles from the base on each attempt', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, NO_JITTER))).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, middle))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('is capped at maxMs', () => {
    expect(backoffDelay(5, NO_JITTER)).toBe(30_000);
    expect(backoffDelay(10, NO_JITTER)).toBe(30_000);
    // Huge attempt counts neither overflow to Infinity nor go past the cap.
    expect(backoffDelay(1_000_000, NO_JITTER)).toBe(30_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThanOrEqual(36_000);
  });

  it('treats negative attempts as the first one', () => {
    expect(backoffDelay(-3, NO_JITTER)).toBe(1000);
  });

  it('jitter stays within +/- jitter of the delay, at both ends of random()', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 1)).toBe(1200);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(3200);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 1)).toBe(4800);
    // At the cap the jitter applies to the capped value: 30 s +/- 6 s.
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 0)).toBe(24_000);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 1)).toBe(36_000);
  });

  it('every random value gives an integer delay inside the bounds', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const nominal = Math.min(30_000, 1000 * 2 ** attempt);
      for (let i = 0; i <= 100; i++) {
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF, () => i / 100);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.round(nominal * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.round(nominal * 1.2));
      }
    }
  });

  it('spreads cameras that fail together', () => {
    const values = [0.1, 0.3, 0.5, 0.7, 0.9];
    const delays = values.map((value) => backoffDelay(3, DEFAULT_BACKOFF, () => value));
    expect(new Set(delays).size).toBe(values.length);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('uses Math.random by default and stays in bounds', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(1);
      expect(delay).toBeGreaterThanOrEqual(1600);
      expect(delay).toBeLessThanOrEqual(2400);
    }
  });

  it('never goes below zero, even with jitter over 100 %', () => {
    expect(backoffDelay(0, { baseMs: 1000, maxMs: 5000, jitter: 2 }, () => 0)).toBe(0);
  });

  it('follows a custom policy (the slow operator backoff)', () => {
    const operator: BackoffPolicy = { baseMs: 15_000, maxMs: 120_000, jitter: 0 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, operator))).toEqual([15_000, 30_000, 60_000, 120_000, 120_000]);
  });
});
