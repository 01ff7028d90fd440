#!/usr/bin/env node
// `station` / `npx station …`: runs the CLI from its TypeScript sources with
// tsx, so the repo needs no build step for it. import.meta.url is the real
// file (npm links bins as symlinks; Node resolves them), so the path to the
// sources holds wherever the link lives.
// `station ingest` copies with several fs requests in flight per worker: libuv's
// thread pool must be sized before the process's first fs call, which tsx's
// loader makes (see electron/core/ingest/copy/threadpool.ts).
process.env.UV_THREADPOOL_SIZE ||= '16';
const { register } = await import('tsx/esm/api');

register();
await import(new URL('../electron/core/cli.ts', import.meta.url).href);
