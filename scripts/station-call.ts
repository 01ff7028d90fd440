// A typed call on a station connection that throws the station's own error: for scripts (the demo's
// seed, the benchmarks) that set a station up and have no use for a Result.
import type { Connection } from '../electron/core/station.js';
import type { CallInput, CallName, CallOutput } from '../shared/contract.js';

export type Call = <K extends CallName>(name: K, input: CallInput<K>) => Promise<CallOutput<K>>;

export function caller(connection: Connection): Call {
  return async (name, input) => {
    const r = await connection.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value as CallOutput<typeof name>;
  };
}
