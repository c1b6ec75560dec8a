import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../src/shared/cameras';
import { applyEngineEvent, countLive } from '../../../src/renderer/app/camera-list';
import { formatFfmpeg, formatLag, formatLive, lagLevel } from '../../../src/renderer/features/health/format';

function cam(id: string, state: CameraView['status']['state'] = 'live'): CameraView {
  return {
    id,
    name: id,
    mainUrl: 'file:///x.mp4',
    subUrl: null,
    sourceKind: 'file',
    enabled: true,
    options: { rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true },
    demo: true,
    status: { state, reason: null, message: null, since: 0, restarts: 0, nextRetryAt: null, streams: [] },
  };
}

describe('camera list from events', () => {
  it('replaces on hello, upserts on status/added/updated, removes on removed', () => {
    let list = applyEngineEvent([cam('old')], { type: 'hello', apiVersion: 1, cameras: [cam('a'), cam('b', 'connecting')] });
    expect(list.map((c) => c.id)).toEqual(['a', 'b']);
    list = applyEngineEvent(list, { type: 'camera.status', camera: cam('b', 'live') });
    expect(list.map((c) => c.status.state)).toEqual(['live', 'live']);
    list = applyEngineEvent(list, { type: 'camera.added', camera: cam('c', 'error') });
    expect(list.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    list = applyEngineEvent(list, { type: 'camera.updated', camera: { ...cam('a'), name: 'renamed' } });
    expect(list[0]?.name).toBe('renamed');
    list = applyEngineEvent(list, { type: 'camera.removed', id: 'b' });
    expect(list.map((c) => c.id)).toEqual(['a', 'c']);
    expect(countLive(list)).toEqual({ live: 1, total: 2 });
  });
});

describe('status bar text', () => {
  it('formats lag, ffmpeg and counts', () => {
    expect(formatLag({ p50: 1.2, p99: 12.6, max: 40 })).toBe('13 ms p99');
    expect(formatLag(null)).toBe('–');
    expect(lagLevel({ p50: 1, p99: 10, max: 20 })).toBe('ok');
    expect(lagLevel({ p50: 1, p99: 80, max: 90 })).toBe('warn');
    expect(lagLevel({ p50: 1, p99: 300, max: 900 })).toBe('bad');
    expect(formatFfmpeg({ path: '/usr/bin/ffmpeg', version: '6.1.1', source: 'path', error: null })).toBe('6.1.1');
    expect(formatFfmpeg({ path: null, version: null, source: null, error: 'not found' })).toBe('missing');
    expect(formatLive(3, 4)).toBe('3/4 live');
  });
});
