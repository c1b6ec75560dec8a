import { describe, expect, it } from 'vitest';
import type { HealthCameraDetect, HealthInference } from '../../../src/shared/api';
import { DETECT_REASONS } from '../../../src/shared/reasons';
import { detectBadge, formatShare, MOTION_ONLY_DEFAULT } from '../../../src/renderer/features/grid/detect-view';
import { formatInference } from '../../../src/renderer/features/health/format';

function inference(over: Partial<HealthInference> = {}): HealthInference {
  return {
    state: 'ready',
    reason: null,
    message: null,
    model: 'yolox-nano',
    provider: 'cpu',
    fallbacks: [],
    workers: 1,
    restarts: 0,
    latencyMs: { p50: 20.2, p95: 38.6, count: 120 },
    queueDepth: 0,
    ...over,
  };
}

function detect(over: Partial<HealthCameraDetect> = {}): HealthCameraDetect {
  return { mode: 'detecting', reason: null, detectFps: 5, motionScore: 0, motionActive: false, droppedFrames: 0, liveTracks: 0, ...over };
}

describe('detector in the status bar', () => {
  it('names model and provider with p95 latency', () => {
    expect(formatInference(inference())).toEqual({ text: 'Detector: yolox-nano on cpu', reason: null, title: null, level: 'ok', latency: '39 ms p95' });
    expect(formatInference(inference({ latencyMs: { p50: 0, p95: 0, count: 0 } }))?.latency).toBeNull();
  });

  it('lists the providers it could not use in the tooltip, without alarming on them', () => {
    const view = formatInference(inference({ fallbacks: [{ provider: 'dml', reason: 'only on Windows' }] }));
    expect(view).toMatchObject({ level: 'ok', title: 'dml: only on Windows' });
  });

  it('flags a provider fallback', () => {
    const view = formatInference(inference({ reason: 'PROVIDER_FALLBACK', fallbacks: [{ provider: 'cuda', reason: 'libcudnn missing' }] }));
    expect(view?.level).toBe('warn');
    expect(view?.title).toContain(DETECT_REASONS.PROVIDER_FALLBACK);
    expect(view?.title).toContain('cuda: libcudnn missing');
  });

  it('says why detection is unavailable', () => {
    const view = formatInference(inference({ state: 'unavailable', reason: 'MODEL_MISSING', model: null, provider: null, message: 'looked in /x' }));
    expect(view).toMatchObject({ text: 'Detector unavailable', reason: 'MODEL_MISSING', level: 'bad', latency: null });
    expect(view?.title).toBe(`${DETECT_REASONS.MODEL_MISSING}\nlooked in /x`);
    expect(formatInference(inference({ state: 'unavailable', reason: null }))?.reason).toBe('INFERENCE_UNAVAILABLE');
  });

  it('covers the other states and a missing block', () => {
    expect(formatInference(inference({ state: 'off' }))?.text).toBe('Detector off');
    expect(formatInference(inference({ state: 'starting' }))?.text).toBe('Detector: starting yolox-nano…');
    expect(formatInference(inference({ state: 'restarting', reason: 'INFERENCE_WORKER_CRASHED' }))).toMatchObject({ level: 'warn', reason: 'INFERENCE_WORKER_CRASHED' });
    expect(formatInference(undefined)).toBeNull();
  });
});

describe('detection on the tile', () => {
  it('badges motion-only cameras with the reason sentence', () => {
    expect(detectBadge(detect({ mode: 'motion-only', reason: 'MODEL_MISSING' }))).toMatchObject({ motionOnly: true, reason: 'MODEL_MISSING', title: DETECT_REASONS.MODEL_MISSING });
    expect(detectBadge(detect({ mode: 'motion-only' })).title).toBe(MOTION_ONLY_DEFAULT);
    expect(detectBadge(detect()).motionOnly).toBe(false);
    expect(detectBadge(undefined)).toMatchObject({ motionOnly: false, motion: false });
  });

  it('shows motion when the camera says so', () => {
    const badge = detectBadge(detect({ motionActive: true, motionScore: 0.034, liveTracks: 2 }));
    expect(badge.motion).toBe(true);
    expect(badge.motionTitle).toBe('Motion: 3.4 % of the picture · 2 tracked');
    expect(formatShare(0.5)).toBe('50 %');
    expect(formatShare(0)).toBe('0 %');
  });
});
