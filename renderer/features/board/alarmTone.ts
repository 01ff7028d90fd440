// The optional alarm tone of the dock board: two short beeps made with
// WebAudio (an oscillator through a gain envelope, no sound file to ship).
//
// Browsers keep audio silent until the page has had a user gesture. At the
// station the custodian logs in by touching the screen, so by the time the
// board shows, the page has been touched; the context is made then, or on the
// next touch or key press. Whatever stops it from playing (no audio device, a
// policy that still says no), it stays silent: the alarm on screen is the
// alarm, the tone only draws the eye to it.

let context: AudioContext | null = null;

/** How long a suspended context may take to start before the beep is dropped: a late beep would point at nothing new. */
const START_WITHIN_MS = 1000;

function wake(): AudioContext | null {
  try {
    if (context?.state === 'closed') context = null;
    context ??= new AudioContext({ latencyHint: 'interactive' });
    if (context.state === 'suspended') context.resume().catch(() => undefined);
    return context;
  } catch {
    return null;
  }
}

function hasBeenTouched(): boolean {
  return navigator.userActivation?.hasBeenActive ?? false;
}

/**
 * Makes the audio context ready: at once if the page has already had a
 * gesture (the login), else on the first pointerdown or keydown. Returns the
 * function that stops listening.
 */
export function armAlarmTone(): () => void {
  if (hasBeenTouched()) wake();
  const onGesture = () => {
    wake();
  };
  window.addEventListener('pointerdown', onGesture, { capture: true, passive: true });
  window.addEventListener('keydown', onGesture, { capture: true });
  return () => {
    window.removeEventListener('pointerdown', onGesture, { capture: true });
    window.removeEventListener('keydown', onGesture, { capture: true });
  };
}

function beep(ctx: AudioContext): void {
  const start = ctx.currentTime + 0.02;
  // Two beeps of 880 Hz, 0.2 s each, 0.35 s apart: short enough not to startle,
  // and a rising edge and fall-off so the speaker does not click.
  for (const offset of [0, 0.35]) {
    const at = start + offset;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.22);
  }
}

/** Plays the tone if the page may make sound now; otherwise does nothing. */
export function playAlarmTone(): void {
  const ctx = context ?? (hasBeenTouched() ? wake() : null);
  if (!ctx) return;
  try {
    if (ctx.state === 'running') return beep(ctx);
    // Just made, or suspended by the system: it starts at once if it may.
    const asked = Date.now();
    ctx
      .resume()
      .then(() => {
        if (ctx.state === 'running' && Date.now() - asked < START_WITHIN_MS) beep(ctx);
      })
      .catch(() => undefined);
  } catch {
    // A closed or broken context: silent, the alarm is still on screen.
  }
}
