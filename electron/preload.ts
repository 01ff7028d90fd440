// The preload: puts `window.station` (exactly the StationBridge of
// shared/contract.ts) into the page and nothing else. The page never sees
// ipcRenderer, an IPC event object or any Node API. Runs sandboxed, so it is
// bundled to one CommonJS file (scripts/build-electron.mjs).
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, StationBridge } from '../shared/contract.js';
import { eventNames } from '../shared/events.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc/ipc-channels.js';
import { APP_ORIGIN } from './window/app-origin.js';

const allowed = new Set<string>(eventNames);
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// One IPC listener for all subscriptions, fanned out here.
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !allowed.has(name)) return;
  for (const listener of [...(listeners.get(name as EventName) ?? [])]) {
    try {
      listener(payload);
    } catch (e) {
      // One page listener throwing must not keep the event from the others.
      console.error(`station event listener for ${name} failed`, e);
    }
  }
});

const VIEW_ID = /^[0-9a-f]{32}$/;

const station: StationBridge = {
  mediaUrl(viewId) {
    if (typeof viewId !== 'string' || !VIEW_ID.test(viewId)) throw new TypeError('station.mediaUrl: not a view id');
    return `${APP_ORIGIN}/media/${viewId}`;
  },
  downloadUrl(downloadId) {
    if (typeof downloadId !== 'string' || !VIEW_ID.test(downloadId)) throw new TypeError('station.downloadUrl: not a download id');
    return `${APP_ORIGIN}/download/${downloadId}`;
  },
  invoke(name, input) {
    if (typeof name !== 'string') return Promise.reject(new TypeError('station.invoke: the call name must be a string'));
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, input);
  },
  on(event, listener) {
    if (typeof event !== 'string' || !allowed.has(event)) {
      throw new TypeError(`station.on: unknown event ${String(event).slice(0, 64)}`);
    }
    if (typeof listener !== 'function') throw new TypeError('station.on: the listener must be a function');
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const wrapped = (payload: unknown) => listener(payload as never);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('station', station);
