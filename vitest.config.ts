import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // One temporary folder for the whole run, removed at its end (test/support/temp-root.ts).
    globalSetup: ['test/support/temp-root.ts'],
    // A backstop against a hang, never a speed limit: integration tests spawn the CLI, ffmpeg
    // and the core host, which on a loaded 2-core machine (load 8 and more) take several times
    // what they take on an idle one (cli-ingest's tests: 10–20 s idle, up to 2.5 min at load ~18).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Integration tests spawn real processes (sqlite3, ffmpeg, the CLI); two cores.
    maxWorkers: 2,
  },
});
