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
import { DockProgress, SafeToRemove } from './DockProgress.js';
import { PHASE_TONE, phaseOf, phaseText } from './phase.js';

export function DockCard({ dock, progress }: { dock: DockSessionView; progress: IngestProgress | null }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const errorText = useErrorText();
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const phase = phaseOf(dock.state, progress);
  const serial = dock.device?.serial ?? dock.serial ?? dock.label ?? '—';
  const keeper = dock.device?.keeper;
  const filesDone = progress?.filesDone ?? dock.filesCommitted + dock.filesDuplicate;
  const filesTotal = progress?.filesTotal ?? dock.filesTotal;

  const control = async (name: 'ingest.pause' | 'ingest.resume' | 'ingest.cancel') => {
    const r = await client.call(name, { dockSessionId: dock.id });
    setError(r.ok ? null : r.error);
    return r.ok ? null : r.error;
  };

  const stateText =
    phase === 'failed' && dock.stateReason ? t('board.state.failedWith', { reason: dock.stateReason }) : phaseText(t, phase, { done: filesDone, total: filesTotal });

  return (
    <article className={`card dock-card ${PHASE_TONE[phase]}`} aria-labelledby={`dock-${dock.id}-serial`}>
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
      <DockProgress serial={serial} phase={phase} progress={progress} />
      {phase === 'done' && <SafeToRemove committed={dock.filesCommitted} duplicate={dock.filesDuplicate} />}
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
