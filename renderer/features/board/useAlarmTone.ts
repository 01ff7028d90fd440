// When a new alarm appears on the board, the station's setting decides
// whether the tone sounds (custody.settings, 综合处's choice). "New" means an
// alarm the board had not shown before: what is already there when the board
// opens, or comes back after a reload, does not ring again.
import { useCallback, useEffect, useRef } from 'react';
import { useSession, useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { armAlarmTone, playAlarmTone } from './alarmTone.js';

/** Calls `onNew` when `keys` gains one it did not have; null while the list has not loaded. */
export function useNewKeys(keys: readonly string[] | null, onNew: () => void): void {
  const seen = useRef<Set<string> | null>(null);
  const joined = keys?.join(' ') ?? null;
  useEffect(() => {
    if (joined === null) return;
    const now = new Set(joined ? joined.split(' ') : []);
    const before = seen.current;
    seen.current = now;
    if (before !== null && [...now].some((k) => !before.has(k))) onNew();
  }, [joined, onNew]);
}

/** The function to call for a new alarm: it sounds the tone if the station's setting says so. */
export function useAlarmTone(): () => void {
  const { client } = useStation();
  const { can } = useSession();
  const mayRead = can('custody.view');
  // Read when the board opens, so the context is made on the first touch
  // (browsers allow sound only after one) only at stations that want the tone.
  const settings = useQuery('custody.settings', {}, { enabled: mayRead });
  const wanted = settings.result?.ok === true && settings.result.value.alarmSound;
  useEffect(() => (wanted ? armAlarmTone() : undefined), [wanted]);

  return useCallback(() => {
    if (!mayRead) return;
    // Asked again at the alarm: the setting may have changed since the board opened.
    void client.call('custody.settings', {}).then((r) => {
      if (r.ok && r.value.alarmSound) playAlarmTone();
    });
  }, [client, mayRead]);
}
