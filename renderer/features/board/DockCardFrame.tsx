// What every dock card shows, on the board and on the public dock status
// (接入台 without logging in): the camera's serial, what the station is doing
// with it, the progress of a running offload and — the one thing that must be
// unmistakable — whether it may be taken off the dock. The board's card adds
// the people and the controls through the two slots.
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { duration, megabytes } from './format.js';
import type { CardProgress, Phase } from './phase.js';
import { PHASE_TONE } from './phase.js';

export interface DockCardFrameProps {
  /** Unique on the page: the heading's id. */
  headingId: string;
  serial: string;
  model?: string | null;
  phase: Phase;
  stateText: string;
  progress: CardProgress | null;
  filesCommitted: number;
  filesDuplicate: number;
  /** What to do about an unregistered camera, in this screen's terms. */
  unregisteredHint: string;
  /** Between the heading and the state (the board: keeper and bound officer). */
  people?: ReactNode;
  /** At the end (the board: errors and controls). */
  children?: ReactNode;
}

export function DockCardFrame(p: DockCardFrameProps) {
  const { t } = useI18n();
  return (
    <article className={`card dock-card ${PHASE_TONE[p.phase]}`} aria-labelledby={p.headingId}>
      <header className="dock-card-head">
        <h3 id={p.headingId} className="dock-serial mono">
          {p.serial}
        </h3>
        {p.model && <span className="muted">{p.model}</span>}
      </header>
      {p.people}
      <p className="dock-state" role="status">
        {p.stateText}
      </p>
      <DockProgress serial={p.serial} phase={p.phase} progress={p.progress} />
      {p.phase === 'done' && (
        <p className="safe-to-remove" data-testid="safe-to-remove">
          <span aria-hidden="true">✔</span> {t('board.safeToRemove')}
          <span className="safe-detail">{t('board.doneDetail', { n: p.filesCommitted, dup: p.filesDuplicate })}</span>
        </p>
      )}
      {(p.phase === 'failed' || p.phase === 'cancelled') && <p className="dock-keep">{t('board.keepDocked')}</p>}
      {p.phase === 'unregistered' && <p className="dock-keep">{p.unregisteredHint}</p>}
      {p.children}
    </article>
  );
}

function DockProgress({ serial, phase, progress }: { serial: string; phase: Phase; progress: CardProgress | null }): ReactNode {
  const { t } = useI18n();
  if (!progress || (phase !== 'copying' && phase !== 'verifying' && phase !== 'paused')) return null;
  const percent = progress.bytesTotal > 0 ? Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100)) : 0;
  return (
    <div className="dock-progress">
      <progress max={100} value={percent} aria-label={t('board.progressLabel', { serial })} />
      <p className="dock-rate">
        {t('board.rate', { percent, mbps: megabytes(progress.bytesPerSecond), done: megabytes(progress.bytesDone), total: megabytes(progress.bytesTotal) })}
        {/* The time left has a line of its own: the card is narrow, and wrapped after the speed it broke inside 约剩 10 秒. */}
        {progress.etaSeconds !== null && phase !== 'paused' && (
          <span className="dock-eta">{t('board.eta', { left: duration(t, progress.etaSeconds * 1000) })}</span>
        )}
      </p>
    </div>
  );
}
