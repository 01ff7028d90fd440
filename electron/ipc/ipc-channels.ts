// The two IPC channels between the preload and main. No `electron` import:
// the preload bundle and the relay share these names.

/** renderer → main: `invoke(name, input)`, answered with a Result. */
export const INVOKE_CHANNEL = 'station:invoke';
/** main → renderer: `(event name, payload)` of a core event for this window. */
export const EVENT_CHANNEL = 'station:event';
