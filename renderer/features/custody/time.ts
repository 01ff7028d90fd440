// Wall-clock times in the station's zone for <input type="datetime-local">,
// which the core's localDateTimeSchema takes as they are.
import { formatStationTime } from '../../i18n/time.js';

/** `2026-11-27T18:00` for epoch ms, in the station's zone. */
export function localInput(ms: number, timeZone: string): string {
  return formatStationTime(ms, timeZone).replace(' ', 'T').slice(0, 16);
}
