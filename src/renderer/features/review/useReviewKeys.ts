// Review's keyboard: Space plays or pauses, Left/Right step 10 s, Shift+Left/Right move the
// timeline. Not while typing; the alarm queue's letter shortcuts keep working beside these.
import { useEffect, useRef } from 'react';

export interface ReviewKeys {
  onToggle(): void;
  onStep(sign: 1 | -1): void;
  onPan(sign: 1 | -1): void;
}

const CLICKABLE_INPUTS = new Set(['checkbox', 'radio', 'button']);

export type ReviewKeyCommand = { kind: 'toggle' } | { kind: 'step'; sign: 1 | -1 } | { kind: 'pan'; sign: 1 | -1 };

/** The command for a key press, or null. Pure, for tests. */
export function reviewKeyCommand(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean; targetTag?: string; targetType?: string; targetEditable?: boolean }): ReviewKeyCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.targetEditable) return null;
  const tag = e.targetTag?.toUpperCase();
  // A ticked camera chip keeps the focus, but Space there should still play, not untick it.
  if (tag === 'INPUT' && !CLICKABLE_INPUTS.has((e.targetType ?? 'text').toLowerCase())) return null;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return null;
  if (e.key === ' ' || e.key === 'Spacebar') return e.shiftKey ? null : { kind: 'toggle' };
  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    const sign = e.key === 'ArrowLeft' ? -1 : 1;
    return e.shiftKey ? { kind: 'pan', sign } : { kind: 'step', sign };
  }
  return null;
}

export function useReviewKeys(keys: ReviewKeys): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      const command = reviewKeyCommand({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, targetTag: target?.tagName, targetType: target instanceof HTMLInputElement ? target.type : undefined, targetEditable: target?.isContentEditable });
      if (!command) return;
      e.preventDefault();
      // A focused button or checkbox would also "click" on Space's keyup: take the focus off it.
      if (target && (target.tagName === 'BUTTON' || target.tagName === 'INPUT')) target.blur();
      if (command.kind === 'toggle') current.current.onToggle();
      else if (command.kind === 'step') current.current.onStep(command.sign);
      else current.current.onPan(command.sign);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
