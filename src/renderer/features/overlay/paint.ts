// Turns an overlay plan into canvas calls: thin coloured boxes over a dark halo (readable on
// bright and dark pictures alike), dashed for tentative tracks, captions on a dark plate.
import { placeCaption } from './geometry';
import type { OverlayPlan } from './plan';
import { captionFontSize } from './style';

const LINE_WIDTH = 1.5;
const HALO_WIDTH = 3.5;
const HALO = 'rgba(0, 0, 0, 0.55)';
const PLATE = 'rgba(6, 8, 10, 0.78)';
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";

/** Clears the canvas (backing store in device pixels) and draws `plan` (in CSS pixels). */
export function paintOverlay(ctx: CanvasRenderingContext2D, plan: OverlayPlan | null, cssWidth: number, cssHeight: number, dpr: number): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (!plan || plan.items.length === 0) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const fontSize = captionFontSize(cssHeight);
  ctx.font = `600 ${fontSize}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'middle';
  const padX = 4;
  const plateHeight = Math.round(fontSize * 1.45);
  const bounds = { x: 0, y: 0, width: cssWidth, height: cssHeight };
  for (const item of plan.items) {
    const { x, y, width, height } = item.rect;
    // Align 1.5 px lines to the device pixel grid as well as possible.
    const rx = Math.round(x * dpr) / dpr + 0.5 / dpr;
    const ry = Math.round(y * dpr) / dpr + 0.5 / dpr;
    const rw = Math.round(width * dpr) / dpr;
    const rh = Math.round(height * dpr) / dpr;
    ctx.setLineDash(item.dashed ? [6, 4] : []);
    ctx.lineWidth = HALO_WIDTH;
    ctx.strokeStyle = HALO;
    ctx.strokeRect(rx, ry, rw, rh);
    ctx.lineWidth = LINE_WIDTH;
    ctx.strokeStyle = item.colour;
    ctx.globalAlpha = item.dashed ? 0.75 : 1;
    ctx.strokeRect(rx, ry, rw, rh);
    ctx.globalAlpha = 1;

    const textWidth = ctx.measureText(item.caption).width;
    const plate = placeCaption({ x, y, width, height }, textWidth + padX * 2, plateHeight, bounds);
    ctx.fillStyle = PLATE;
    ctx.fillRect(plate.x, plate.y, plate.width, plate.height);
    ctx.fillStyle = item.colour;
    ctx.fillRect(plate.x, plate.y, 2, plate.height);
    ctx.fillText(item.caption, plate.x + padX + 1, plate.y + plate.height / 2 + 0.5);
  }
  ctx.setLineDash([]);
}
