// Mouse on the timeline: click seeks, drag pans, shift-drag selects a range (for export),
// the wheel zooms around the pointer (a sideways wheel or trackpad pans). Native listeners,
// because React's wheel listener is passive and could not stop the page from scrolling.
import { useEffect, useRef, type RefObject } from 'react';
import { rangeBetween, spanOf, wheelZoomFactor, xToTime, type TimeRange } from './time-scale';

export interface TimelineGestures {
  onSeek(t: number): void;
  /** A new range while dragging, computed from where the drag began. */
  onPan(range: TimeRange): void;
  onZoom(factor: number, anchor: number): void;
  /** The range being shift-dragged (null when it is too short: a shift-click). */
  onSelect(range: TimeRange | null): void;
}

/** Pointer travel (px) under which a press counts as a click. */
const CLICK_SLOP = 4;

export function useTimelineGestures(ref: RefObject<HTMLElement | null>, range: TimeRange, handlers: TimelineGestures): void {
  const current = useRef({ range, handlers });
  current.current = { range, handlers };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xOf = (clientX: number) => clientX - el.getBoundingClientRect().left;
    const width = () => el.getBoundingClientRect().width;
    let drag: { pointerId: number; startX: number; startRange: TimeRange; select: boolean; moved: boolean } | null = null;

    const onDown = (e: PointerEvent) => {
      // Incident markers are buttons of their own (React's handlers run after this native one).
      if (e.button !== 0 || (e.target instanceof Element && e.target.closest('[data-timeline-control]'))) return;
      drag = { pointerId: e.pointerId, startX: xOf(e.clientX), startRange: current.current.range, select: e.shiftKey, moved: false };
      el.setPointerCapture(e.pointerId);
      e.preventDefault(); // no text selection while dragging
    };
    const onMove = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.pointerId) return;
      const x = xOf(e.clientX);
      if (!drag.moved && Math.abs(x - drag.startX) < CLICK_SLOP) return;
      drag.moved = true;
      const w = width();
      if (drag.select) {
        current.current.handlers.onSelect(rangeBetween(xToTime(drag.startRange, w, drag.startX), xToTime(drag.startRange, w, x)));
      } else {
        const deltaMs = ((drag.startX - x) / Math.max(1, w)) * spanOf(drag.startRange);
        current.current.handlers.onPan({ from: drag.startRange.from + deltaMs, to: drag.startRange.to + deltaMs });
      }
    };
    const onUp = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.pointerId) return;
      const { moved, select, startRange } = drag;
      drag = null;
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
      if (moved) return;
      if (select) current.current.handlers.onSelect(null);
      else current.current.handlers.onSeek(xToTime(startRange, width(), xOf(e.clientX)));
    };
    const onCancel = () => {
      drag = null;
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? 400 : 1; // lines, pages
      const { range: r, handlers: h } = current.current;
      const w = width();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const deltaMs = ((e.deltaX * scale) / Math.max(1, w)) * spanOf(r);
        h.onPan({ from: r.from + deltaMs, to: r.to + deltaMs });
      } else if (e.deltaY !== 0) {
        h.onZoom(wheelZoomFactor(e.deltaY * scale), xToTime(r, w, xOf(e.clientX)));
      }
    };
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', onCancel);
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', onCancel);
      el.removeEventListener('wheel', onWheel);
    };
  }, [ref]);
}
