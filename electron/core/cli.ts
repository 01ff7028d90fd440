// `station …`: the headless commands, run in-process over the same core and
// the same contract as the UI (see cli/run.ts). Started by bin/station.mjs
// (`npx station …`) or `npm run station -- …`.
import { runCli } from './cli/run.js';

// `station devices list | head -3`: a reader that stops early is not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

process.exitCode = await runCli(process.argv.slice(2));
