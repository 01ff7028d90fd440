// How the station writes an instant for people: `yyyy-MM-dd HH:mm:ss` in the
// station's configured zone (never the machine's), the same in every language.
// Times travel as UTC epoch milliseconds; the renderer's screens and the CLI's
// output both show them through this one function.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The fields (two digits, the year four) a clock in `timeZone` shows at the instant `ms` (UTC epoch milliseconds). */
export function zoneFields(ms: number, timeZone: string): { year: string; month: string; day: string; hour: string; minute: string; second: string } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** `2026-11-27 09:00:00`: the instant `ms` (UTC epoch milliseconds) as a clock in `timeZone` shows it. */
export function formatStationTime(ms: number, timeZone: string): string {
  const f = zoneFields(ms, timeZone);
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second}`;
}
