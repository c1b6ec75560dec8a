import { describe, expect, it } from 'vitest';
import type { CameraStatus } from '../../../src/shared/cameras';
import { engineSaysTranscoded, reasonDetail, shouldPlay, showsReason, tileView } from '../../../src/renderer/features/grid/tile-state';

function cam(state: CameraStatus['state'], opts: { enabled?: boolean; reason?: CameraStatus['reason']; streams?: CameraStatus['streams'] } = {}) {
  return {
    enabled: opts.enabled ?? true,
    status: { state, reason: opts.reason ?? null, message: null, since: 0, restarts: 0, nextRetryAt: null, streams: opts.streams ?? [] },
  };
}

describe('tileView', () => {
  it('is live only when the player sees frames advancing', () => {
    expect(tileView(cam('live'), { state: 'connecting', code: null })).toEqual({ state: 'connecting', reason: null });
    expect(tileView(cam('live'), null)).toEqual({ state: 'connecting', reason: null });
    expect(tileView(cam('live'), { state: 'live', code: null })).toEqual({ state: 'live', reason: null });
    expect(tileView(cam('connecting'), { state: 'live', code: null }).state).toBe('live');
  });

  it('shows disabled cameras as disabled whatever else', () => {
    expect(tileView(cam('live', { enabled: false }), { state: 'live', code: null }).state).toBe('disabled');
    expect(tileView(cam('disabled'), null).state).toBe('disabled');
  });

  it('passes engine errors and offline through with their reason', () => {
    expect(tileView(cam('error', { reason: 'AUTH_FAILED' }), { state: 'live', code: null })).toEqual({ state: 'error', reason: 'AUTH_FAILED' });
    expect(tileView(cam('offline', { reason: 'UNREACHABLE' }), null)).toEqual({ state: 'offline', reason: 'UNREACHABLE' });
  });

  it('reports player errors such as an unsupported codec', () => {
    expect(tileView(cam('live'), { state: 'error', code: 'UNSUPPORTED_CODEC' })).toEqual({ state: 'error', reason: 'UNSUPPORTED_CODEC' });
  });

  it('shows reconnecting from the engine or the player', () => {
    expect(tileView(cam('reconnecting', { reason: 'STALLED' }), { state: 'connecting', code: null })).toEqual({ state: 'reconnecting', reason: 'STALLED' });
    expect(tileView(cam('live'), { state: 'reconnecting', code: null })).toEqual({ state: 'reconnecting', reason: null });
  });

  it('runs the player only when video can come', () => {
    expect(shouldPlay(cam('live'))).toBe(true);
    expect(shouldPlay(cam('connecting'))).toBe(true);
    expect(shouldPlay(cam('reconnecting'))).toBe(true);
    expect(shouldPlay(cam('error'))).toBe(false);
    expect(shouldPlay(cam('offline'))).toBe(false);
    expect(shouldPlay(cam('live', { enabled: false }))).toBe(false);
  });

  it('explains only failing states', () => {
    expect(['error', 'offline', 'reconnecting'].every((s) => showsReason(s as CameraStatus['state']))).toBe(true);
    expect(showsReason('live')).toBe(false);
    expect(showsReason('disabled')).toBe(false);
  });

  it('knows from engine status whether a stream is transcoded', () => {
    const streams = [
      { role: 'main' as const, mime: null, width: null, height: null, transcoded: false, sourceCodec: 'hevc' },
      { role: 'sub' as const, mime: null, width: null, height: null, transcoded: true, sourceCodec: 'hevc' },
    ];
    expect(engineSaysTranscoded(cam('live', { streams }), 'sub')).toBe(true);
    expect(engineSaysTranscoded(cam('live', { streams }), 'main')).toBe(false);
  });

  it('shows only the detail beyond the reason sentence', () => {
    const sentence = 'The camera refused the connection.';
    expect(reasonDetail(`${sentence} (rtsp://u:***@h: Connection refused)`, sentence)).toBe('rtsp://u:***@h: Connection refused');
    expect(reasonDetail(sentence, sentence)).toBeNull();
    expect(reasonDetail(null, sentence)).toBeNull();
    expect(reasonDetail('ffmpeg exited 1', sentence)).toBe('ffmpeg exited 1');
  });
});
