// The host (Electron's preload, or the browser harness's bridge) puts the
// contract-typed API on window.station before the app runs. It is optional
// here because a page opened without a host must say so instead of crashing.
import type { StationBridge } from '../../shared/contract.js';

declare global {
  interface Window {
    station?: StationBridge;
  }
}

export {};
