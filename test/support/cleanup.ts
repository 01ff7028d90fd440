import fs from 'node:fs';
import { afterEach } from 'vitest';

/**
 * For a test file's top level: registers an afterEach that undoes, newest
 * first, what the test asked it to (close a station, unmount a volume, restore
 * a permission), so a failed test leaves nothing behind for the next. Every
 * undo runs even if one before it throws; the first error is rethrown.
 * Returns the function that asks.
 */
export function undoAfterEach(): (undo: () => unknown) => void {
  let undos: Array<() => unknown> = [];
  afterEach(async () => {
    const pending = undos.reverse();
    undos = [];
    const errors: unknown[] = [];
    for (const undo of pending) {
      try {
        await undo();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return (undo) => {
    undos.push(undo);
  };
}

/**
 * For a test file's top level: folders handed to the returned function are
 * removed, with all they hold, after each test (by undoAfterEach, so one that
 * cannot be removed does not keep the others). Hands the folder back.
 */
export function removeAfterEach(): (dir: string) => string {
  const undo = undoAfterEach();
  return (dir) => {
    undo(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
}
