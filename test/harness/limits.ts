// Limits shared by the page's bridge and the core host's socket server. No
// Node imports here: the bridge bundle pulls this file into the browser.

/** The largest message either side accepts; a larger one closes the socket. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The WebSocket path the core host answers on; anything else is refused. */
export const SOCKET_PATH = '/station';

/** The query parameter that carries the harness token on the socket URL. */
export const TOKEN_PARAM = 'token';
