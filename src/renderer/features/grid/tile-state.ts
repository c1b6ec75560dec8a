// What a tile shows: the engine's view of the camera combined with what the player sees.
// Pure, unit-tested. "live" only when the player's video is actually advancing.
import type { CameraState, CameraView, StreamRole } from '../../../shared/cameras';

export type PlayerState = 'connecting' | 'live' | 'reconnecting' | 'error';

export interface PlayerReport {
  state: PlayerState;
  /** Reason code when the player failed or was told why the socket closed. */
  code: string | null;
}

export interface TileView {
  state: CameraState;
  /** Reason code to explain the state (error / offline / reconnecting), if any is known. */
  reason: string | null;
}

/** The player runs only for cameras that can produce video right now. */
export function shouldPlay(camera: Pick<CameraView, 'enabled' | 'status'>): boolean {
  return camera.enabled && camera.status.state !== 'error' && camera.status.state !== 'offline' && camera.status.state !== 'disabled';
}

export function tileView(camera: Pick<CameraView, 'enabled' | 'status'>, player: PlayerReport | null): TileView {
  const engine = camera.status;
  if (!camera.enabled || engine.state === 'disabled') return { state: 'disabled', reason: null };
  if (engine.state === 'error' || engine.state === 'offline') return { state: engine.state, reason: engine.reason };
  if (player?.state === 'error') return { state: 'error', reason: player.code ?? engine.reason };
  if (player?.state === 'live') return { state: 'live', reason: null };
  if (engine.state === 'reconnecting') return { state: 'reconnecting', reason: engine.reason ?? player?.code ?? null };
  if (player?.state === 'reconnecting') return { state: 'reconnecting', reason: player.code ?? engine.reason };
  return { state: 'connecting', reason: null };
}

export function showsReason(state: CameraState): boolean {
  return state === 'error' || state === 'offline' || state === 'reconnecting';
}

/** Whether the engine says the given stream is transcoded (before the player's own hello). */
export function engineSaysTranscoded(camera: Pick<CameraView, 'status'>, role: StreamRole): boolean {
  return camera.status.streams.some((s) => s.role === role && s.transcoded);
}

export const STATE_LABELS: Record<CameraState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  error: 'Error',
  disabled: 'Disabled',
};

/**
 * The engine's status message minus the reason sentence it usually starts with, so the tile
 * shows only the extra detail (e.g. "(rtsp://user:***@host: Connection refused)").
 */
export function reasonDetail(message: string | null, sentence: string): string | null {
  if (!message) return null;
  const rest = message.startsWith(sentence) ? message.slice(sentence.length).trim() : message.trim();
  if (rest === '') return null;
  return rest.startsWith('(') && rest.endsWith(')') ? rest.slice(1, -1) : rest;
}
