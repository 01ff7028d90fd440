// A camera's docks, newest first, on its page (执法记录仪登记 → the camera),
// for whoever may see the board: a dock leaves the board when the camera is
// taken off, and a custodian following up an offload that failed, or was
// cancelled, finds it here with its 详情.
import { useState } from 'react';
import type { DockSessionView, DockState } from '../../../shared/ingest.js';
import { useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockDetailDialog } from './DockDetailDialog.js';

const PAGE_SIZE = 20;

type Cursor = { attachedAt: number; id: number };

const STATE_TAG: Record<DockState, string> = {
  identifying: 'tag',
  ingesting: 'tag',
  paused: 'tag tag-warn',
  done: 'tag tag-ok',
  failed: 'tag tag-bad',
  cancelled: 'tag tag-warn',
  unregistered: 'tag tag-bad',
};

export function DockHistory({ deviceId, serial }: { deviceId: number; serial: string }) {
  const { t } = useI18n();
  const time = useStationTime();
  const pages = useCursorPages<Cursor>();
  const [open, setOpen] = useState<DockSessionView | null>(null);
  const history = useQuery(
    'dock.history',
    { deviceId, ...(pages.before ? { before: pages.before } : {}), limit: PAGE_SIZE },
    { refreshOn: ['dock.identified', 'dock.changed', 'dock.detached'] },
  );
  const docks = history.result?.ok ? history.result.value : [];
  const last = docks.at(-1);
  const olderFrom = docks.length === PAGE_SIZE && last ? { attachedAt: last.attachedAt, id: last.id } : undefined;
  return (
    <section aria-labelledby="dock-history-title">
      <h2 id="dock-history-title" className="section-title">
        {t('dockHistory.title')}
      </h2>
      {history.result && !history.result.ok && <ErrorAlert error={history.result.error} />}
      {history.result?.ok && docks.length === 0 && <p className="empty">{t('dockHistory.none')}</p>}
      {docks.length > 0 && (
        <TableWrap label={t('dockHistory.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('dockDetail.attachedAt')}</th>
                <th scope="col">{t('dockHistory.result')}</th>
                <th scope="col">{t('dockHistory.committed')}</th>
                <th scope="col">{t('dockHistory.duplicate')}</th>
                <th scope="col">{t('dockHistory.failed')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {docks.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap">{time(d.attachedAt)}</td>
                  <td>
                    <span className={STATE_TAG[d.state]}>{t(`dockHistory.state.${d.state}`)}</span>
                  </td>
                  <td>{d.filesCommitted}</td>
                  <td>{d.filesDuplicate}</td>
                  <td>{d.filesFailed}</td>
                  <td>
                    <button type="button" className="btn btn-secondary" aria-label={t('dockHistory.detailsOf', { at: time(d.attachedAt) })} onClick={() => setOpen(d)}>
                      {t('dockDetail.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager pages={pages} olderFrom={olderFrom} newerLabel={t('dockHistory.newer')} olderLabel={t('dockHistory.older')} />
      {open && <DockDetailDialog dockId={open.id} serial={serial} onClose={() => setOpen(null)} />}
    </section>
  );
}
