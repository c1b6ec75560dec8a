// Play/pause, steps, speed and the clock's time; the time text is written every frame by the
// review loop (no re-render), the buttons follow the clock's state.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ReviewClock } from './review-clock';
import { SPEEDS } from './review-clock';
import type { ReviewLoop } from './review-loop';
import { formatClock } from './time-ticks';

export const STEP_MS = 10_000;

export interface TransportProps {
  clock: ReviewClock;
  loop: ReviewLoop;
  /** Shown when playback stopped at the end of every recording. */
  ended: boolean;
}

export function Transport({ clock, loop, ended }: TransportProps) {
  const state = useSyncExternalStore(clock.subscribe, () => clock.snapshot);
  const timeRef = useRef<HTMLSpanElement>(null);
  useEffect(
    () =>
      loop.add(({ t }) => {
        const el = timeRef.current;
        if (!el) return;
        const text = formatClock(t);
        if (el.textContent !== text) el.textContent = text;
        el.dataset.t = String(Math.round(t));
      }),
    [loop],
  );
  return (
    <div className="review-transport" data-testid="review-transport" data-playing={state.playing ? 'true' : 'false'} data-rate={state.rate} data-buffering={state.buffering ? 'true' : undefined}>
      <button type="button" data-testid="review-step-back" onClick={() => clock.step(-STEP_MS)} title="Back 10 s (Left)">
        −10 s
      </button>
      <button type="button" className="primary review-play" data-testid="review-play" aria-pressed={state.playing} onClick={() => clock.toggle()} title="Play or pause (Space)">
        {state.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" data-testid="review-step-forward" onClick={() => clock.step(STEP_MS)} title="Forward 10 s (Right)">
        +10 s
      </button>
      <div className="review-speed" role="group" aria-label="Speed">
        {SPEEDS.map((speed) => (
          <button key={speed} type="button" data-testid={`review-speed-${speed}`} aria-pressed={state.rate === speed} onClick={() => clock.setRate(speed)}>
            {speed}×
          </button>
        ))}
      </div>
      <span className="review-clock" data-testid="review-clock" ref={timeRef} />
      {state.playing && state.buffering && <span className="muted">loading…</span>}
      {ended && !state.playing && (
        <span className="muted" data-testid="review-ended">
          End of the recordings
        </span>
      )}
    </div>
  );
}
