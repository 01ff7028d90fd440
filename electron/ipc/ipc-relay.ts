// The one IPC handler: `station:invoke` from a window, relayed to the core
// over that window's connection. Only our own top frame is heard; anything
// else is answered `forbidden` and logged. Events go the other way, to the
// window their connection belongs to.
import type { WebContents } from 'electron';
import { ipcMain, webContents } from 'electron';
import type { EventMap, EventName } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import { isAppUrl } from '../window/app-origin.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels.js';
import { isTrustedSender } from './sender-check.js';
import type { ShellLog } from '../shell/shell-log.js';
import type { CoreSupervisor } from '../host/supervisor.js';

const FORBIDDEN: Result<unknown> = {
  ok: false,
  error: {
    code: 'forbidden',
    message: '此请求不是来自本站的界面，已拒绝。 / This request did not come from the station window and was refused.',
  },
};

export function installIpcRelay(core: CoreSupervisor, log: ShellLog): () => void {
  ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, input: unknown) => {
    const frame = event.senderFrame;
    // parent === null: the window's own top frame, not an iframe inside it.
    const isTopFrame = frame !== null && frame.parent === null;
    if (!isTrustedSender(frame?.url, isTopFrame)) {
      log(
        `[ipc] refused ${String(name).slice(0, 64)} from ${frame?.url.slice(0, 200) ?? '(frame gone)'} ` +
          `(top frame: ${isTopFrame}, webContents ${event.sender.id})`,
      );
      return FORBIDDEN;
    }
    // The core checks the name and the input against the contract itself.
    return core.invoke(event.sender.id, typeof name === 'string' ? name : String(name), input);
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/**
 * The window's connection in the core lives as long as its page: a reload, a
 * crash or closing the window ends it, and with it the session (a reloaded
 * page starts at the login screen, as a new browser tab would).
 */
export function trackWindowConnection(contents: WebContents, core: CoreSupervisor): void {
  const connection = contents.id;
  contents.on('did-start-navigation', (event) => {
    if (event.isMainFrame && !event.isSameDocument) core.disconnect(connection);
  });
  contents.on('render-process-gone', () => core.disconnect(connection));
  contents.once('destroyed', () => core.disconnect(connection));
}

/** A core event for one window; dropped if that window is gone or shows something else. */
export function sendToWindow(connection: number, event: EventName, payload: unknown): void {
  const contents = webContents.fromId(connection);
  if (!contents || contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
  contents.send(EVENT_CHANNEL, event, payload);
}

/** An event from the shell itself (not the core) to every station window. */
export function broadcast<E extends EventName>(event: E, payload: EventMap[E]): void {
  for (const contents of webContents.getAllWebContents()) {
    if (!contents.isDestroyed() && contents.getType() === 'window' && isAppUrl(contents.getURL())) {
      contents.send(EVENT_CHANNEL, event, payload);
    }
  }
}
