// A <canvas> over a tile's <video> with the boxes of the detection frame that belongs to the
// picture on screen. Redraws on animation frames while switched on, playing and visible,
// and only when the frame to show or the canvas size changed. Attributes for tests:
// data-boxes (boxes drawn now), data-media-time (media time of the frame drawn).
import { useEffect, useRef, type RefObject } from 'react';
import type { StreamRole } from '../../../shared/cameras';
import { pickFrame, type DetectionFrame, type DetectionStore } from './detection-buffer';
import { paintOverlay } from './paint';
import { planOverlay } from './plan';

export interface DetectionOverlayProps {
  videoRef: RefObject<HTMLVideoElement | null>;
  store: DetectionStore;
  cameraId: string;
  /** The stream the video plays (its media timeline is the one to match). */
  role: StreamRole;
  /** Switched on for this tile. */
  enabled: boolean;
  /** The video is playing. */
  playing: boolean;
}

const HAVE_CURRENT_DATA = 2;

export function DetectionOverlay({ videoRef, store, cameraId, role, enabled, playing }: DetectionOverlayProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const active = enabled && playing;

  useEffect(() => {
    const canvas = canvasRef.current;
    const video = videoRef.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    const report = (boxes: number, mediaTime: number | null) => {
      const text = String(boxes);
      if (canvas.dataset.boxes !== text) canvas.dataset.boxes = text;
      if (mediaTime === null) delete canvas.dataset.mediaTime;
      else canvas.dataset.mediaTime = String(mediaTime);
    };
    const blank = () => {
      if (ctx) paintOverlay(ctx, null, 0, 0, 1);
      report(0, null);
    };
    if (!active || !video || !ctx) {
      blank();
      return;
    }

    let cssWidth = canvas.clientWidth;
    let cssHeight = canvas.clientHeight;
    let visible = true;
    let raf = 0;
    let drawnFrame: DetectionFrame | null | undefined;
    let drawnKey = '';

    const draw = () => {
      const dpr = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(cssWidth * dpr));
      const height = Math.max(1, Math.round(cssHeight * dpr));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width; // clears the canvas
        canvas.height = height;
        drawnFrame = undefined;
      }
      const frame = video.readyState >= HAVE_CURRENT_DATA ? pickFrame(store.frames(cameraId), role, video.currentTime) : null;
      const key = `${width}x${height}@${dpr}|${video.videoWidth}x${video.videoHeight}`;
      if (frame === drawnFrame && key === drawnKey) return;
      drawnFrame = frame;
      drawnKey = key;
      const plan = frame ? planOverlay(frame, cssWidth, cssHeight, video.videoWidth, video.videoHeight) : null;
      paintOverlay(ctx, plan, cssWidth, cssHeight, dpr);
      report(plan ? plan.items.length : 0, frame ? frame.mediaTime[role] : null);
    };
    const loop = () => {
      raf = 0;
      if (!visible) return;
      draw();
      raf = requestAnimationFrame(loop);
    };
    const start = () => {
      if (!raf && visible) raf = requestAnimationFrame(loop);
    };
    const stop = () => {
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
    };

    const resize = new ResizeObserver((entries) => {
      const last = entries[entries.length - 1];
      if (!last) return;
      cssWidth = last.contentRect.width;
      cssHeight = last.contentRect.height;
    });
    resize.observe(canvas);
    const intersection =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            const last = entries[entries.length - 1];
            if (!last) return;
            visible = last.isIntersecting;
            if (visible) start();
            else stop();
          })
        : null;
    intersection?.observe(canvas);
    start();
    return () => {
      stop();
      resize.disconnect();
      intersection?.disconnect();
      blank();
    };
  }, [active, cameraId, role, store, videoRef]);

  return <canvas ref={canvasRef} className={`tile-overlay${enabled ? '' : ' off'}`} data-testid="overlay" data-enabled={enabled ? 'true' : 'false'} aria-hidden="true" />;
}
