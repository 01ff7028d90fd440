// One docked camera on the board: who it belongs to, what the station is doing
// with it, and — the one thing that must be unmistakable — whether it may be
// taken off the dock.
import { useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import type { DockSessionView, IngestProgress } from '../../../shared/ingest.js';
import { useErrorText, useSession, useStation } from '../../app/context.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { PlainAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration, megabytes } from './format.js';

type Phase = 'identifying' | 'waiting' | 'copying' | 'verifying' | 'paused' | 'done' | 'failed' | 'cancelled' | 'unregistered';

function phaseOf(dock: DockSessionView, progress: IngestProgress | null): Phase {
  switch (dock.state) {
    case 'identifying':
    case 'unregistered':
    case 'paused':
    case 'done':
    case 'failed':
    case 'cancelled':
      return dock.state;
    case 'ingesting':
      if (!progress || progress.bytesDone === 0) return progress && progress.filesTotal > 0 ? 'copying' : 'waiting';
      // Every byte copied but files not yet all committed: the read-back check is running.
      return progress.bytesDone >= progress.bytesTotal && progress.filesDone < progress.filesTotal ? 'verifying' : 'copying';
  }
}

const TONE: Record<Phase, string> = {
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

export function DockCard({ dock, progress }: { dock: DockSessionView; progress: IngestProgress | null }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const errorText = useErrorText();
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const phase = phaseOf(dock, progress);
  const serial = dock.device?.serial ?? dock.serial ?? dock.label ?? '—';
  const keeper = dock.device?.keeper;
  const filesDone = progress?.filesDone ?? dock.filesCommitted + dock.filesDuplicate;
  const filesTotal = progress?.filesTotal ?? dock.filesTotal;
  const percent = progress && progress.bytesTotal > 0 ? Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100)) : 0;

  const control = async (name: 'ingest.pause' | 'ingest.resume' | 'ingest.cancel') => {
    const r = await client.call(name, { dockSessionId: dock.id });
    setError(r.ok ? null : r.error);
    return r.ok ? null : r.error;
  };

  const stateText = (() => {
    switch (phase) {
      case 'copying':
        return t('board.state.copying', { done: filesDone, total: filesTotal });
      case 'failed':
        return dock.stateReason ? t('board.state.failedWith', { reason: dock.stateReason }) : t('board.state.failed');
      default:
        return t(`board.state.${phase}`);
    }
  })();

  return (
    <article className={`card dock-card ${TONE[phase]}`} aria-labelledby={`dock-${dock.id}-serial`}>
      <header className="dock-card-head">
        <h3 id={`dock-${dock.id}-serial`} className="dock-serial mono">
          {serial}
        </h3>
        {dock.device?.model && <span className="muted">{dock.device.model}</span>}
      </header>
      <dl className="dock-people">
        <div>
          <dt>{t('fields.keeper')}</dt>
          <dd>{keeper ? t('common.personRef', { name: keeper.name, badge: keeper.badge }) : '—'}</dd>
        </div>
        <div>
          <dt>{t('board.bound')}</dt>
          <dd>{dock.binding?.name || dock.binding?.badge ? t('common.personRef', { name: dock.binding.name ?? '—', badge: dock.binding.badge ?? '—' }) : '—'}</dd>
        </div>
      </dl>
      <p className="dock-state" role="status">
        {stateText}
      </p>
      {(phase === 'copying' || phase === 'verifying' || phase === 'paused') && progress && (
        <div className="dock-progress">
          <progress max={100} value={percent} aria-label={t('board.progressLabel', { serial })} />
          <p className="dock-rate">
            {t('board.rate', { percent, mbps: megabytes(progress.bytesPerSecond), done: megabytes(progress.bytesDone), total: megabytes(progress.bytesTotal) })}
            {progress.etaSeconds !== null && phase !== 'paused' && <> · {t('board.eta', { left: duration(t, progress.etaSeconds * 1000) })}</>}
          </p>
        </div>
      )}
      {phase === 'done' && (
        <p className="safe-to-remove" data-testid="safe-to-remove">
          <span aria-hidden="true">✔</span> {t('board.safeToRemove')}
          <span className="safe-detail">{t('board.doneDetail', { n: dock.filesCommitted, dup: dock.filesDuplicate })}</span>
        </p>
      )}
      {(phase === 'failed' || phase === 'cancelled') && <p className="dock-keep">{t('board.keepDocked')}</p>}
      {phase === 'unregistered' && <p className="dock-keep">{t('board.unregisteredHint')}</p>}
      {error && <PlainAlert text={errorText(error)} />}
      {can('ingest.control') && (phase === 'copying' || phase === 'verifying' || phase === 'waiting' || phase === 'paused') && (
        <div className="button-row">
          {phase === 'paused' ? (
            <button type="button" className="btn btn-primary" onClick={() => void control('ingest.resume')}>
              {t('board.resume')}
            </button>
          ) : (
            <button type="button" className="btn btn-secondary" onClick={() => void control('ingest.pause')}>
              {t('board.pause')}
            </button>
          )}
          <button type="button" className="btn btn-danger-outline" onClick={() => setCancelling(true)}>
            {t('board.cancel')}
          </button>
        </div>
      )}
      {cancelling && (
        <ConfirmDialog
          title={t('board.cancelTitle', { serial })}
          confirmLabel={t('board.cancelConfirm')}
          tone="danger"
          onCancel={() => setCancelling(false)}
          onConfirm={async () => {
            const e = await control('ingest.cancel');
            if (!e) setCancelling(false);
            return e;
          }}
        >
          {t('board.cancelText')}
        </ConfirmDialog>
      )}
    </article>
  );
}
