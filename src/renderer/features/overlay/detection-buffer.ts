// Recent detection frames per camera, and which one belongs on the picture the video shows
// now. Pure (no DOM): the engine's events go in, the overlay asks with video.currentTime.
import type { StreamRole } from '../../../shared/cameras';
import type { DetectionsEvent, TrackedObject } from '../../../shared/detection';

export interface DetectionFrame {
  /** The analysed picture's time on each live stream's media timeline (seconds). */
  mediaTime: { main: number | null; sub: number | null };
  frameWidth: number;
  frameHeight: number;
  objects: TrackedObject[];
  /** Local clock (ms) when the event arrived; only used to forget old frames. */
  receivedAt: number;
}

export const BUFFER = {
  /** Frames kept per camera, by arrival. */
  keepMs: 3000,
  /** And never more than this many (10 fps x 3 s, with room). */
  maxFrames: 64,
  /** A frame counts as shown once the video is this close to its time (decode/paint jitter). */
  toleranceSeconds: 0.05,
  /** Boxes older than this relative to the video time are not drawn (they would linger). */
  maxAgeSeconds: 1.0,
  /** A media time this much earlier than the previous frame's means the stream restarted. */
  resetBackSeconds: 1.0,
} as const;

export function frameFromEvent(event: DetectionsEvent, receivedAt: number): DetectionFrame {
  return { mediaTime: event.mediaTime, frameWidth: event.frameWidth, frameHeight: event.frameHeight, objects: event.objects, receivedAt };
}

function timelineRestarted(previous: DetectionFrame, next: DetectionFrame): boolean {
  for (const role of ['main', 'sub'] as const) {
    const before = previous.mediaTime[role];
    const after = next.mediaTime[role];
    if (before !== null && after !== null && after < before - BUFFER.resetBackSeconds) return true;
  }
  return false;
}

/**
 * The frames after adding `frame`: older than `keepMs` (by arrival) or beyond `maxFrames`
 * are dropped, and so is everything before a media-time jump backwards (a restarted source
 * starts a new timeline; its old times would match the wrong pictures).
 */
export function appendFrame(frames: readonly DetectionFrame[], frame: DetectionFrame, now: number = frame.receivedAt): DetectionFrame[] {
  const last = frames[frames.length - 1];
  const kept = last && timelineRestarted(last, frame) ? [] : frames.filter((f) => now - f.receivedAt <= BUFFER.keepMs);
  kept.push(frame);
  return kept.length > BUFFER.maxFrames ? kept.slice(kept.length - BUFFER.maxFrames) : kept;
}

export interface PickOptions {
  toleranceSeconds?: number;
  maxAgeSeconds?: number;
}

/**
 * The frame to draw over the picture at `videoTime` on the `role` stream's timeline: the one
 * with the latest media time not after `videoTime + tolerance`, unless that is more than
 * `maxAge` behind the video (then nothing: the boxes would no longer match).
 */
export function pickFrame(frames: readonly DetectionFrame[], role: StreamRole, videoTime: number, options: PickOptions = {}): DetectionFrame | null {
  const tolerance = options.toleranceSeconds ?? BUFFER.toleranceSeconds;
  const maxAge = options.maxAgeSeconds ?? BUFFER.maxAgeSeconds;
  let best: DetectionFrame | null = null;
  let bestTime = -Infinity;
  for (const frame of frames) {
    const t = frame.mediaTime[role];
    if (t === null || !Number.isFinite(t)) continue;
    if (t <= videoTime + tolerance && t > bestTime) {
      best = frame;
      bestTime = t;
    }
  }
  if (!best || videoTime - bestTime > maxAge) return null;
  return best;
}

/** Per-camera buffers of recent detection frames, filled from the events socket. */
export class DetectionStore {
  private readonly byCamera = new Map<string, DetectionFrame[]>();

  push(event: DetectionsEvent, now: number): void {
    this.byCamera.set(event.camera, appendFrame(this.byCamera.get(event.camera) ?? [], frameFromEvent(event, now), now));
  }

  frames(cameraId: string): readonly DetectionFrame[] {
    return this.byCamera.get(cameraId) ?? [];
  }

  clear(cameraId: string): void {
    this.byCamera.delete(cameraId);
  }

  clearAll(): void {
    this.byCamera.clear();
  }
}
