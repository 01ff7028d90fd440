// 第十五条: checkouts whose footage is past its offload deadline, most overdue
// first, as the core's clock sees it.
import { useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';

export function OverdueScreen() {
  const { t } = useI18n();
  const time = useStationTime();
  const overdue = useQuery('custody.overdue', {}, { refreshOn: ['custody.changed', 'custody.overdue'] });
  return (
    <section className="page">
      <h1 className="screen-title">{t('overdue.title')}</h1>
      <p className="lead">{t('overdue.intro')}</p>
      {overdue.result && !overdue.result.ok && <ErrorAlert error={overdue.result.error} />}
      {overdue.result?.ok &&
        (overdue.result.value.checkouts.length === 0 ? (
          <p className="empty">{t('overdue.none')}</p>
        ) : (
          <TableWrap label={t('overdue.title')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('fields.serial')}</th>
                  <th scope="col">{t('custody.officer')}</th>
                  <th scope="col">{t('custody.checkedOutAt')}</th>
                  <th scope="col">{t('custody.deadlineCol')}</th>
                  <th scope="col">{t('overdue.by')}</th>
                </tr>
              </thead>
              <tbody>
                {overdue.result.value.checkouts.map((c) => (
                  <tr key={c.id} className="row-overdue">
                    <td className="mono nowrap">{c.device.serial}</td>
                    <td>{t('common.personRef', { name: c.officer.name, badge: c.officer.badge })}</td>
                    <td className="nowrap">{time(c.checkedOutAt)}</td>
                    <td className="nowrap">
                      {time(c.deadlineAt)}
                      {c.deadlineRule === 'exception' && <span className="muted"> {t('custody.exceptionMark')}</span>}
                    </td>
                    <td>
                      <span className="tag tag-bad">{duration(t, c.overdueMs)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
    </section>
  );
}
