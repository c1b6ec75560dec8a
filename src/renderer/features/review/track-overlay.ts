// The canvas over a review player: stored track boxes at the media's wall time, painted with
// the live overlay's painter. Redraws only when the time, the tracks or the size changed.
// Attributes for tests: data-boxes (boxes drawn now), data-media-wall (the time drawn).
import type { ReviewTrack } from '../../../shared/review';
import { paintOverlay } from '../overlay/paint';
import { planTracks } from './track-boxes';

export class TrackOverlay {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly resize: ResizeObserver;
  private cssWidth: number;
  private cssHeight: number;
  private drawnKey = '';
  private drawnTracks: readonly ReviewTrack[] | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d');
    this.cssWidth = canvas.clientWidth;
    this.cssHeight = canvas.clientHeight;
    this.resize = new ResizeObserver((entries) => {
      const last = entries[entries.length - 1];
      if (!last) return;
      this.cssWidth = last.contentRect.width;
      this.cssHeight = last.contentRect.height;
    });
    this.resize.observe(canvas);
  }

  /** `t` null: nothing to draw (a gap, or the picture is not there yet). */
  draw(tracks: readonly ReviewTrack[], t: number | null, video: HTMLVideoElement): void {
    const { ctx, canvas } = this;
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.cssWidth * dpr));
    const height = Math.max(1, Math.round(this.cssHeight * dpr));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width; // clears it
      canvas.height = height;
      this.drawnKey = '';
    }
    // Whole milliseconds: the media clock moves in frame steps anyway.
    const key = `${t === null ? '-' : Math.round(t)}|${width}x${height}@${dpr}|${video.videoWidth}x${video.videoHeight}`;
    if (key === this.drawnKey && tracks === this.drawnTracks) return;
    this.drawnKey = key;
    this.drawnTracks = tracks;
    const plan = t === null ? null : planTracks(tracks, t, this.cssWidth, this.cssHeight, video.videoWidth, video.videoHeight);
    paintOverlay(ctx, plan, this.cssWidth, this.cssHeight, dpr);
    const boxes = String(plan ? plan.items.length : 0);
    if (canvas.dataset.boxes !== boxes) canvas.dataset.boxes = boxes;
    if (t === null) delete canvas.dataset.mediaWall;
    else canvas.dataset.mediaWall = String(Math.round(t));
  }

  destroy(): void {
    this.resize.disconnect();
    if (this.ctx) paintOverlay(this.ctx, null, 0, 0, 1);
  }
}
