// The rule the IPC relay applies before it relays anything to the core: the
// message must come from the top frame of a window showing our own origin.
// An iframe (even of our origin, which the CSP would allow) or a page that
// somehow navigated elsewhere gets nothing. Pure, so it is unit-tested
// without Electron.
import { isAppUrl } from '../window/app-origin.js';

/**
 * @param url the sending frame's URL (`event.senderFrame.url`); null or
 *   undefined when the frame is already gone.
 * @param isTopFrame whether that frame is its window's main frame.
 */
export function isTrustedSender(url: string | null | undefined, isTopFrame: boolean): boolean {
  return isTopFrame === true && isAppUrl(url);
}
