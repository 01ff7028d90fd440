// What the station is doing with a docked camera, in the words of a card: the
// board's full cards and the public dock status (接入台 on the login screen)
// read it the same way from a dock's state and its latest progress.
import type { DockState, PublicProgress } from '../../../shared/ingest.js';
import type { Translate } from '../../i18n/i18n.js';

export type Phase = 'identifying' | 'waiting' | 'copying' | 'verifying' | 'paused' | 'done' | 'failed' | 'cancelled' | 'unregistered';

/** The progress fields a card reads: the board's live progress has more, the public status no more. */
export type CardProgress = PublicProgress;

export function phaseOf(state: DockState, progress: CardProgress | null): Phase {
  switch (state) {
    case 'identifying':
    case 'unregistered':
    case 'paused':
    case 'done':
    case 'failed':
    case 'cancelled':
      return state;
    case 'ingesting':
      if (!progress || progress.bytesDone === 0) return progress && progress.filesTotal > 0 ? 'copying' : 'waiting';
      // Every byte copied but files not yet all committed: the read-back check is running.
      return progress.bytesDone >= progress.bytesTotal && progress.filesDone < progress.filesTotal ? 'verifying' : 'copying';
  }
}

/** The card's edge colour. */
export const PHASE_TONE: Record<Phase, string> = {
  identifying: 'dock-card-busy',
  waiting: 'dock-card-busy',
  copying: 'dock-card-busy',
  verifying: 'dock-card-busy',
  paused: 'dock-card-warn',
  done: 'dock-card-done',
  failed: 'dock-card-bad',
  cancelled: 'dock-card-warn',
  unregistered: 'dock-card-bad',
};

/** Files done and in all: the running offload's own count, else the dock's (stored, and stored before). */
export function cardFiles(
  progress: CardProgress | null,
  dock: { filesCommitted: number; filesDuplicate: number; filesTotal: number },
): { done: number; total: number } {
  return { done: progress?.filesDone ?? dock.filesCommitted + dock.filesDuplicate, total: progress?.filesTotal ?? dock.filesTotal };
}

/** The card's one-line state ("正在导出：3/7 个文件"); the board adds a failure's reason itself. */
export function phaseText(t: Translate, phase: Phase, files: { done: number; total: number }): string {
  return phase === 'copying' ? t('board.state.copying', files) : t(`board.state.${phase}`);
}
