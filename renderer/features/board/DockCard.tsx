// One docked camera on the board: the common card (DockCardFrame) with who it
// belongs to, a failure's reason, its details (every file and its state), and
// pause, resume and cancel.
import { useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import type { DockSessionView, IngestProgress } from '../../../shared/ingest.js';
import { useErrorText, useSession, useStation } from '../../app/context.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { PlainAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockCardFrame } from './DockCardFrame.js';
import { DockDetailDialog } from './DockDetailDialog.js';
import { cardFiles, phaseOf, phaseText } from './phase.js';

export function DockCard({
  dock,
  progress,
  footageUnreadable = false,
}: {
  dock: DockSessionView;
  progress: IngestProgress | null;
  /** An open footage_unreadable alarm names this dock: part of the camera could not be read. */
  footageUnreadable?: boolean;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const errorText = useErrorText();
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [details, setDetails] = useState(false);
  const phase = phaseOf(dock.state, progress);
  const serial = dock.device?.serial ?? dock.serial ?? dock.label ?? '—';
  const keeper = dock.device?.keeper;

  const control = async (name: 'ingest.pause' | 'ingest.resume' | 'ingest.cancel') => {
    const r = await client.call(name, { dockSessionId: dock.id });
    setError(r.ok ? null : r.error);
    return r.ok ? null : r.error;
  };

  // The core's reason is one bilingual sentence for the record; the card says it in the reader's
  // language from the counts, and the alarms and 详情 say why.
  // A dock can fail with no file failed: part of the camera could not be read at all (issue 17).
  const stateText =
    phase !== 'failed'
      ? phaseText(t, phase, cardFiles(progress, dock))
      : footageUnreadable
        ? dock.filesFailed > 0
          ? t('board.state.footageUnreadableAndFiles', { n: dock.filesFailed })
          : t('board.state.footageUnreadable')
        : dock.filesFailed > 0
          ? t('board.state.failedFiles', { n: dock.filesFailed })
          : phaseText(t, phase, cardFiles(progress, dock));

  return (
    <DockCardFrame
      headingId={`dock-${dock.id}-serial`}
      serial={serial}
      model={dock.device?.model}
      phase={phase}
      stateText={stateText}
      progress={progress}
      filesCommitted={dock.filesCommitted}
      filesDuplicate={dock.filesDuplicate}
      unregisteredHint={t('board.unregisteredHint')}
      people={
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
      }
    >
      {error && <PlainAlert text={errorText(error)} />}
      <div className="button-row">
        <button type="button" className="btn btn-secondary" onClick={() => setDetails(true)}>
          {t('dockDetail.open')}
        </button>
        {can('ingest.control') &&
          (phase === 'copying' || phase === 'verifying' || phase === 'waiting' || phase === 'paused') && (
            <>
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
            </>
          )}
      </div>
      {details && <DockDetailDialog dockId={dock.id} serial={serial} onClose={() => setDetails(false)} />}
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
    </DockCardFrame>
  );
}
