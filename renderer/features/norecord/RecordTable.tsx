// No-recording records as a table: who, why (第五条's case), when and where,
// to which head, and whether the head has acknowledged it.
import type { ReactNode } from 'react';
import type { NoRecordingRecord } from '../../../shared/custody.js';
import { useStationTime } from '../../app/context.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';

export function RecordTable({
  label,
  records,
  empty,
  action,
  showHead = true,
}: {
  label: string;
  records: NoRecordingRecord[];
  empty: string;
  /** The head's own inbox leaves out who it was sent to: them. */
  showHead?: boolean;
  action?: (r: NoRecordingRecord) => ReactNode;
}) {
  const { t } = useI18n();
  const time = useStationTime();
  if (records.length === 0) return <p className="muted">{empty}</p>;
  return (
    <TableWrap label={label}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('norecord.occurredAt')}</th>
            <th scope="col">{t('norecord.officer')}</th>
            <th scope="col">{t('norecord.reason')}</th>
            <th scope="col">{t('norecord.detail')}</th>
            {showHead && <th scope="col">{t('norecord.head')}</th>}
            <th scope="col">{t('fields.status')}</th>
            {action && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id}>
              <td className="nowrap">
                {time(r.occurredAt)}
                <div className="muted">{r.place}</div>
              </td>
              <td>{t('common.personRef', { name: r.officer.name, badge: r.officer.badge })}</td>
              <td>{t(`norecordReason.${r.reason}`)}</td>
              <td className="norecord-detail">
                {r.detail}
                {r.checkoutId !== null && <div className="muted">{t('norecord.linkedCheckout', { id: r.checkoutId })}</div>}
              </td>
              {showHead && <td>{t('common.personRef', { name: r.head.name, badge: r.head.badge })}</td>}
              <td>
                {r.acknowledgedAt === null ? (
                  <span className="tag tag-warn">{t('norecord.pending')}</span>
                ) : (
                  <>
                    <span className="tag tag-ok">{t('norecord.acknowledged')}</span>
                    <div className="muted nowrap">{time(r.acknowledgedAt)}</div>
                    {r.acknowledgedNote && <div className="muted">{r.acknowledgedNote}</div>}
                  </>
                )}
              </td>
              {action && <td>{action(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
