// libuv runs every fs request (and some crypto and dns work) on one thread
// pool per process, shared by the main thread and all worker threads. It has
// 4 threads by default: with two copy workers keeping 8 requests in flight
// each, requests would queue behind each other and the disk would idle.
//
// libuv reads UV_THREADPOOL_SIZE once, when the pool starts, i.e. at the
// process's first fs (or crypto / dns) request. It cannot be changed per
// thread or later. So a host that copies footage must set it before doing
// anything else. In an ESM entry, imports are evaluated before the entry's
// own body, so make it the entry's first import:
//
//   import './core/ingest/copy/threadpool-size.js';   // first line of the host entry
//
// or, in a module whose imports do no fs work while they load, call
// ensureThreadpoolSize() at the top. Setting it in the parent's environment
// (`UV_THREADPOOL_SIZE=16 node …`) works as well, and wins.

/** Enough for 4 cameras, with copy and read-back overlapping, without starving the core's own fs calls. */
export const DEFAULT_THREADPOOL_SIZE = 16;

/**
 * Sets UV_THREADPOOL_SIZE unless the environment already does. Returns the
 * size that applies if the pool has not started yet (which this function
 * cannot tell).
 */
export function ensureThreadpoolSize(size = DEFAULT_THREADPOOL_SIZE): number {
  const current = Number(process.env.UV_THREADPOOL_SIZE);
  if (Number.isInteger(current) && current > 0) return current;
  process.env.UV_THREADPOOL_SIZE = String(size);
  return size;
}
