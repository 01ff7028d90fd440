// Loads one call's result and reloads it when the core says the data changed
// (people.changed, devices.changed, audit.appended). Events drive every
// refresh: the renderer never polls.
import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallName, CallResult, EventName } from '../../shared/contract.js';
import { useStation } from './context.js';

export interface Query<K extends CallName> {
  /** The latest result for the current input; null before the first answer. */
  result: CallResult<K> | null;
  /** True while the shown result is for an older input or version. */
  loading: boolean;
  reload(): void;
}

export function useQuery<K extends CallName>(
  name: K,
  input: CallInput<K>,
  options: { refreshOn?: readonly EventName[]; enabled?: boolean } = {},
): Query<K> {
  const { client } = useStation();
  const enabled = options.enabled ?? true;
  // Inputs are small plain objects: their JSON is a stable dependency key.
  const inputKey = JSON.stringify(input);
  const eventsKey = (options.refreshOn ?? []).join(' ');
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ key: string; result: CallResult<K> } | null>(null);
  const requestKey = `${name} ${inputKey} ${version}`;

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void client.call(name, JSON.parse(inputKey) as CallInput<K>).then((result) => {
      if (live) setState({ key: requestKey, result });
    });
    return () => {
      live = false;
    };
  }, [client, name, inputKey, requestKey, enabled]);

  useEffect(() => {
    if (!eventsKey) return;
    const offs = eventsKey.split(' ').map((e) => client.on(e as EventName, () => setVersion((v) => v + 1)));
    return () => offs.forEach((off) => off());
  }, [client, eventsKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { result: state?.result ?? null, loading: enabled && state?.key !== requestKey, reload };
}

/** Follows a fast-changing value (a search box) after the typing pauses. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
