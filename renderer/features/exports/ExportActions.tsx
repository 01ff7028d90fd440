// What can be done with an export where it stands: a head decides one that waits; 综合处 starts
// an approved one (the 提取人 present), makes a failed one again, hands the discs over (the
// images then leave the station) or cancels it with a reason.
import { useState } from 'react';
import type { ExportRecord } from '../../../shared/export.js';
import { useSession, useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { ApproveExportDialog, RefuseExportDialog } from './DecideDialogs.js';
import { useExportError } from './errors.js';
import { recipientText } from './words.js';

type Asking = 'approve' | 'refuse' | 'handOver' | 'cancel' | null;

const CANCELLABLE: readonly ExportRecord['state'][] = ['pending_approval', 'approved', 'building', 'ready', 'failed'];

export function ExportActions({ record: e, onNotice }: { record: ExportRecord; onNotice(text: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can, session } = useSession();
  const [asking, setAsking] = useState<Asking>(null);
  const start = useSubmit();
  const errorText = useExportError();
  const making = can('export.make');
  // A head decides others' exports; their own waits for another head (the core says so too).
  const deciding = can('export.approve') && e.state === 'pending_approval' && e.maker.personId !== session.person.id;
  const startable = making && (e.state === 'approved' || e.state === 'failed');
  const cancellable = making && CANCELLABLE.includes(e.state);
  if (!deciding && !startable && !cancellable && !(making && e.state === 'ready')) return null;
  const recipient = recipientText(t, e.recipient);
  const done = (key: string) => () => {
    setAsking(null);
    onNotice(t(key, { exportNo: e.exportNo, who: recipient }));
  };

  return (
    <>
      <ErrorAlert error={start.error} text={errorText(start.error)} />
      <div className="button-row">
        {deciding && (
          <>
            <button type="button" className="btn btn-primary" onClick={() => setAsking('approve')}>
              {t('exports.approve')}
            </button>
            <button type="button" className="btn btn-danger-outline" onClick={() => setAsking('refuse')}>
              {t('exports.refuse')}
            </button>
          </>
        )}
        {startable && (
          <button type="button" className="btn btn-primary" disabled={start.busy} onClick={() => void start.run(() => client.call('exports.start', { id: e.id }), done('exports.started'))}>
            {start.busy ? t('common.working') : t(e.state === 'failed' ? 'exports.rebuild' : 'exports.start')}
          </button>
        )}
        {making && e.state === 'ready' && (
          <button type="button" className="btn btn-primary" onClick={() => setAsking('handOver')}>
            {t('exports.handOver')}
          </button>
        )}
        {cancellable && (
          <button type="button" className="btn btn-danger-outline" onClick={() => setAsking('cancel')}>
            {t('exports.cancel')}
          </button>
        )}
      </div>
      {asking === 'approve' && <ApproveExportDialog record={e} onClose={() => setAsking(null)} onDone={done('exports.approved')} />}
      {asking === 'refuse' && <RefuseExportDialog record={e} onClose={() => setAsking(null)} onDone={done('exports.refused')} />}
      {asking === 'handOver' && (
        <ConfirmDialog
          title={t('exports.handOverTitle')}
          confirmLabel={t('exports.handOverConfirm')}
          onCancel={() => setAsking(null)}
          onConfirm={async () => {
            const r = await client.call('exports.handOver', { id: e.id });
            if (!r.ok) return r.error;
            done('exports.handedOver')();
            return null;
          }}
        >
          {t('exports.handOverText', { n: e.discs.length, who: recipient })}
        </ConfirmDialog>
      )}
      {asking === 'cancel' && (
        <ConfirmDialog
          title={t('exports.cancelTitle', { exportNo: e.exportNo })}
          confirmLabel={t('exports.cancelConfirm')}
          tone="danger"
          reason={{ label: t('exports.cancelReason'), hint: t('exports.cancelReasonHint') }}
          onCancel={() => setAsking(null)}
          onConfirm={async (reason) => {
            const r = await client.call('exports.cancel', { id: e.id, reason });
            if (!r.ok) return r.error;
            done('exports.cancelled')();
            return null;
          }}
        >
          {t('exports.cancelText')}
        </ConfirmDialog>
      )}
    </>
  );
}
