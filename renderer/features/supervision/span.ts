// When the flagged footage was recorded: from its earliest to its latest clip
// start. A clip whose start the camera did not say (no time in its name) has
// none, so a record of only such clips has no span.
import type { OutsideRecording } from '../../../shared/custody.js';

export function clipSpan(clips: OutsideRecording['clips']): { from: number; to: number } | null {
  const starts = clips.map((c) => c.startAt).filter((s): s is number => s !== null);
  if (starts.length === 0) return null;
  return { from: Math.min(...starts), to: Math.max(...starts) };
}
