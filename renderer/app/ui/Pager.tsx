// Newest-first lists read a page at a time by keyset: page n starts below the
// last row of page n-1. A stack of those cursors keeps "newer" exact while new
// rows keep arriving on top, which an offset would not.
import { useState } from 'react';

export interface CursorPages<C> {
  /** Where the shown page starts (undefined: the newest rows). */
  before: C | undefined;
  /** 1 for the newest page. */
  page: number;
  /** Back to the newest page (a filter changed, a row was added). */
  reset(): void;
  newer(): void;
  older(from: C): void;
}

export function useCursorPages<C>(): CursorPages<C> {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  return {
    before: cursors[cursors.length - 1],
    page: cursors.length,
    reset: () => setCursors([undefined]),
    newer: () => setCursors((c) => c.slice(0, -1)),
    older: (from) => setCursors((c) => [...c, from]),
  };
}

/**
 * The newer / older buttons, shown once there is more than one page.
 * `olderFrom` is the cursor of the next older page, undefined on the last one.
 */
export function Pager<C>({ pages, olderFrom, newerLabel, olderLabel }: { pages: CursorPages<C>; olderFrom: C | undefined; newerLabel: string; olderLabel: string }) {
  const hasOlder = olderFrom !== undefined;
  if (pages.page === 1 && !hasOlder) return null;
  return (
    <div className="pager">
      <button type="button" className="btn btn-secondary" disabled={pages.page === 1} onClick={pages.newer}>
        ← {newerLabel}
      </button>
      <button type="button" className="btn btn-secondary" disabled={!hasOlder} onClick={() => olderFrom !== undefined && pages.older(olderFrom)}>
        {olderLabel} →
      </button>
    </div>
  );
}
