// The station's window and the rules every web page in the app lives under:
// sandboxed, isolated, no Node, no navigation away from our origin, no new
// windows, no <webview>, no permissions, no network.
import type { Session, WebContents } from 'electron';
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from './app-origin.js';
import type { ShellLog } from '../shell/shell-log.js';
import { APP_TITLE } from '../shell/shell-text.js';

export interface StationWindowOptions {
  preload: string;
  /** DevTools only in development. */
  devTools: boolean;
  log: ShellLog;
}

export function createStationWindow(options: StationWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: APP_TITLE,
    width: 1280,
    height: 800,
    // Station screens are often small touch panels; below this the UI does not fit.
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: options.devTools,
    },
  });
  // The window keeps the station's name whatever the page calls itself.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((e: unknown) => options.log('[window] the renderer did not load', e));
  return window;
}

/** Applied to every webContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents, log: ShellLog): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`[window] blocked navigation to ${event.url.slice(0, 200)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`[window] blocked frame navigation to ${event.url.slice(0, 200)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`[window] blocked redirect to ${event.url.slice(0, 200)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[window] blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`[window] blocked a new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

/** The session the window uses: every permission refused, nothing fetched from the network. */
export function lockDownSession(session: Session, log: ShellLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`[window] refused permission ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Downloads are the page's own files (blob:, the registers and sheets the core made) and disc
  // images from the core (app://station/download/<id>, export/downloads.ts); Electron asks where
  // to save each. Nothing else is saved, whatever a bug would link to.
  session.on('will-download', (event, item) => {
    const url = item.getURL();
    if (url.startsWith(`blob:${APP_ORIGIN}/`) || url.startsWith(`${APP_ORIGIN}/download/`)) return;
    log(`[window] refused a download of ${url.slice(0, 200)}`);
    event.preventDefault();
  });
  // The CSP already says 'self'; this also stops what CSP does not cover
  // (e.g. a stray request from DevTools or a future bug in main).
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] },
    (details, callback) => {
      log(`[window] blocked a request to ${details.url.slice(0, 200)}`);
      callback({ cancel: true });
    },
  );
}
