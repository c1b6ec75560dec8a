// Decides which camera's picture goes to the detector next. Latest picture wins: a camera
// never queues more than one picture, so a busy detector analyses what is on screen now,
// not what was there a second ago. Idle cameras get a slow heartbeat (something may stand
// still in view); cameras with motion or live tracks run at their detect fps.
import type { RawFrame } from './pnm-frames';

export interface ScheduleSettings {
  /** Analyses a second while active. */
  fps: number;
  /** Gap between analyses while idle. */
  idleIntervalMs: number;
}

interface CameraSchedule {
  settings: ScheduleSettings;
  active: boolean;
  waiting: RawFrame | null;
  lastTakenAt: number;
  offered: number;
  dropped: number;
  /** Times of recent analyses, for the achieved detect fps. */
  taken: number[];
}

export interface ScheduleStats {
  offered: number;
  /** Pictures replaced by a newer one while the camera was already due (detector too busy). */
  dropped: number;
  /** Analyses a second over the last 10 s. */
  detectFps: number;
  active: boolean;
}

const FPS_WINDOW_MS = 10_000;

export class DetectScheduler {
  private readonly cameras = new Map<string, CameraSchedule>();

  constructor(private readonly now: () => number = Date.now) {}

  configure(id: string, settings: ScheduleSettings): void {
    const existing = this.cameras.get(id);
    if (existing) existing.settings = settings;
    else this.cameras.set(id, { settings, active: false, waiting: null, lastTakenAt: -Infinity, offered: 0, dropped: 0, taken: [] });
  }

  remove(id: string): void {
    this.cameras.delete(id);
  }

  setActive(id: string, active: boolean): void {
    const camera = this.cameras.get(id);
    if (camera) camera.active = active;
  }

  private interval(camera: CameraSchedule): number {
    return camera.active ? 1000 / camera.settings.fps : camera.settings.idleIntervalMs;
  }

  private dueAt(camera: CameraSchedule): number {
    return camera.lastTakenAt + this.interval(camera);
  }

  offer(id: string, frame: RawFrame): void {
    const camera = this.cameras.get(id);
    if (!camera) return;
    camera.offered++;
    // Replacing a picture that was already due means the detector could not keep up.
    if (camera.waiting && camera.waiting.at >= this.dueAt(camera)) camera.dropped++;
    camera.waiting = frame;
  }

  /** Up to `max` due pictures, the longest-waiting camera first. */
  take(max: number): { id: string; frame: RawFrame }[] {
    const now = this.now();
    const due = [...this.cameras.entries()]
      .filter(([, camera]) => camera.waiting && now >= this.dueAt(camera))
      .sort(([, a], [, b]) => this.dueAt(a) - this.dueAt(b))
      .slice(0, max);
    return due.map(([id, camera]) => {
      const frame = camera.waiting!;
      camera.waiting = null;
      camera.lastTakenAt = now;
      camera.taken.push(now);
      while (camera.taken.length && camera.taken[0]! < now - FPS_WINDOW_MS) camera.taken.shift();
      return { id, frame };
    });
  }

  /** Cameras with a due picture waiting for a free worker: the detector's queue. */
  pending(): number {
    let count = 0;
    for (const camera of this.cameras.values()) if (camera.waiting && this.now() >= this.dueAt(camera)) count++;
    return count;
  }

  /** Milliseconds until the next camera becomes due with a picture waiting; null when none waits. */
  nextDueIn(): number | null {
    let next: number | null = null;
    for (const camera of this.cameras.values()) {
      if (!camera.waiting) continue;
      const wait = Math.max(0, this.dueAt(camera) - this.now());
      next = next === null ? wait : Math.min(next, wait);
    }
    return next;
  }

  stats(id: string): ScheduleStats | null {
    const camera = this.cameras.get(id);
    if (!camera) return null;
    const now = this.now();
    const recent = camera.taken.filter((t) => t >= now - FPS_WINDOW_MS);
    const span = recent.length > 1 ? Math.max(now - recent[0]!, 1000) : FPS_WINDOW_MS;
    return { offered: camera.offered, dropped: camera.dropped, detectFps: Math.round((recent.length / span) * 10_000) / 10, active: camera.active };
  }
}
