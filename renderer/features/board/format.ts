// Sizes and durations as the board shows them: megabytes per second and
// minutes left are what a custodian reads from across the room.
import type { Translate } from '../../i18n/i18n.js';

export function megabytes(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0);
}

/** "3 分 20 秒" / "3 min 20 s"; hours when it is that long. */
export function duration(t: Translate, ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return t('time.hoursMinutes', { h, m });
  if (m > 0) return t('time.minutesSeconds', { m, s });
  return t('time.seconds', { s });
}

/** A size in the unit that reads best: "0 B", "12 KB", "3.4 MB", "29.8 GB", "3.6 TB" (a vault's disk). */
export function fileSize(t: Translate, bytes: number): string {
  if (bytes < 1024) return t('size.bytes', { n: bytes });
  if (bytes < 1024 ** 2) return t('size.kilobytes', { n: Math.round(bytes / 1024) });
  if (bytes < 1024 ** 3) return t('size.megabytes', { n: megabytes(bytes) });
  if (bytes < 1024 ** 4) return t('size.gigabytes', { n: (bytes / 1024 ** 3).toFixed(1) });
  return t('size.terabytes', { n: (bytes / 1024 ** 4).toFixed(1) });
}
