#!/usr/bin/env node
// `station` / `npx station …`: runs the CLI from its TypeScript sources with
// tsx, so the repo needs no build step for it. import.meta.url is the real
// file (npm links bins as symlinks; Node resolves them), so the path to the
// sources holds wherever the link lives.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../electron/core/cli.ts', import.meta.url).href);
