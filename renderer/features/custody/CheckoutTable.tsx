// Checkouts as a table: camera, officer, since when, status and the offload
// deadline with its countdown; one action per row.
import type { ReactNode } from 'react';
import type { CheckoutView } from '../../../shared/custody.js';
import { useSession, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { Countdown } from './Countdown.js';

const STATUS_TAG = { open: 'tag tag-warn', offloaded: 'tag tag-ok', returned: 'tag tag-off' } as const;

export function CheckoutTable({
  label,
  checkouts,
  asOf,
  empty,
  action,
  showOfficer = true,
}: {
  label: string;
  checkouts: CheckoutView[];
  asOf: number;
  empty: string;
  action?: (c: CheckoutView) => ReactNode;
  showOfficer?: boolean;
}) {
  const { t } = useI18n();
  const time = useStationTime();
  const { can } = useSession();
  if (checkouts.length === 0) return <p className="empty">{empty}</p>;
  return (
    <TableWrap label={label}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('fields.serial')}</th>
            {showOfficer && <th scope="col">{t('custody.officer')}</th>}
            <th scope="col">{t('custody.checkedOutAt')}</th>
            <th scope="col">{t('custody.workType')}</th>
            <th scope="col">{t('fields.status')}</th>
            <th scope="col">{t('custody.deadlineCol')}</th>
            {action && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {checkouts.map((c) => (
            <tr key={c.id}>
              <td className="mono nowrap">{c.device.serial}</td>
              {showOfficer && <td>{t('common.personRef', { name: c.officer.name, badge: c.officer.badge })}</td>}
              <td className="nowrap">
                {time(c.checkedOutAt)}
                {/* Its recordings in the library (listed only to those who may search it). */}
                {can('library.search') && (
                  <>
                    <br />
                    <a className="table-link" href={href({ screen: 'library', query: `checkout=${c.id}` })}>
                      {t('custody.recordings')}
                      <span className="visually-hidden"> {c.device.serial}</span>
                    </a>
                  </>
                )}
              </td>
              <td>{t(`workType.${c.workType}`)}</td>
              <td>
                <span className={STATUS_TAG[c.status]}>{t(`checkoutStatus.${c.status}`)}</span>
                {c.lateMs !== null && c.lateMs > 0 && <span className="tag tag-bad">{t('custody.late')}</span>}
              </td>
              <td className="nowrap">
                {time(c.deadlineAt)}
                {c.deadlineRule === 'exception' && <span className="muted"> {t('custody.exceptionMark')}</span>}
                {c.status === 'open' && (
                  <>
                    <br />
                    <Countdown deadlineAt={c.deadlineAt} asOf={asOf} />
                  </>
                )}
              </td>
              {action && <td>{action(c)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
