// The two parts of a dock card that the board and the public dock status
// share: the progress of a running offload, and the unmistakable "可以取走".
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { duration, megabytes } from './format.js';
import type { CardProgress, Phase } from './phase.js';

export function DockProgress({ serial, phase, progress }: { serial: string; phase: Phase; progress: CardProgress | null }): ReactNode {
  const { t } = useI18n();
  if (!progress || (phase !== 'copying' && phase !== 'verifying' && phase !== 'paused')) return null;
  const percent = progress.bytesTotal > 0 ? Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100)) : 0;
  return (
    <div className="dock-progress">
      <progress max={100} value={percent} aria-label={t('board.progressLabel', { serial })} />
      <p className="dock-rate">
        {t('board.rate', { percent, mbps: megabytes(progress.bytesPerSecond), done: megabytes(progress.bytesDone), total: megabytes(progress.bytesTotal) })}
        {progress.etaSeconds !== null && phase !== 'paused' && <> · {t('board.eta', { left: duration(t, progress.etaSeconds * 1000) })}</>}
      </p>
    </div>
  );
}

export function SafeToRemove({ committed, duplicate }: { committed: number; duplicate: number }) {
  const { t } = useI18n();
  return (
    <p className="safe-to-remove" data-testid="safe-to-remove">
      <span aria-hidden="true">✔</span> {t('board.safeToRemove')}
      <span className="safe-detail">{t('board.doneDetail', { n: committed, dup: duplicate })}</span>
    </p>
  );
}
