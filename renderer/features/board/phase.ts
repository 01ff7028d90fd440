// What the station is doing with a docked camera, in the words of a card: the
// board's full cards and the public dock status (接入台 on the login screen)
// read it the same way from a dock's state and its latest progress.
import type { DockState, IngestProgress } from '../../../shared/ingest.js';
import type { Translate } from '../../i18n/i18n.js';

export type Phase = 'identifying' | 'waiting' | 'copying' | 'verifying' | 'paused' | 'done' | 'failed' | 'cancelled' | 'unregistered';

/** The progress fields a card reads (the public status has no file name). */
export type CardProgress = Omit<IngestProgress, 'current'>;

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

/** The card's one-line state ("正在导出：3/7 个文件"); the board adds a failure's reason itself. */
export function phaseText(t: Translate, phase: Phase, files: { done: number; total: number }): string {
  return phase === 'copying' ? t('board.state.copying', files) : t(`board.state.${phase}`);
}
