// Builds the renderer alone: the Electron shell and the browser harness both
// serve dist/renderer. `base: './'` keeps every asset URL relative, so the same
// build loads from Electron's app protocol and from the harness's HTTP server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The host sends `script-src 'self'`: no inline bootstrap code may be emitted.
    modulePreload: { polyfill: false },
    target: 'chrome130',
  },
});
