// The alarm tone, synthesised with the Web Audio API (no audio files): three short beeps.

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

/**
 * Browsers keep audio suspended until the page has had a click or a key press: call this
 * from one so that the first alarm is heard.
 */
export function unlockAudio(): void {
  const ctx = audio();
  if (ctx && ctx.state === 'suspended') ctx.resume().catch(() => undefined);
}

/** Plays the alarm: higher and one beep more for critical. */
export function playAlarm(critical: boolean): void {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
  const beeps = critical ? 3 : 2;
  const frequency = critical ? 1175 : 880;
  const start = ctx.currentTime + 0.02;
  for (let i = 0; i < beeps; i++) {
    const t = start + i * 0.22;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.setValueAtTime(frequency, t);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.15);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.16);
  }
}
