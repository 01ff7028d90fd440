import type { ChildProcess } from 'node:child_process';

/**
 * Kills `child` with SIGKILL after `ms`; the returned function, called once the child has ended
 * (its 'close' or 'error'), clears the timer. Not spawn's own `timeout` option: Node clears that
 * timer on 'exit', which a program that cannot be started (ENOENT) never emits, so the timer held
 * the process open for the whole timeout: a `station ingest` run on a machine without ffprobe
 * waited 30 s before it exited.
 */
export function killAfter(child: ChildProcess, ms: number): () => void {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return () => clearTimeout(timer);
}
