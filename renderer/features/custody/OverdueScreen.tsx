// 第十五条: checkouts whose footage is past its offload deadline, most overdue
// first, as the core's clock sees it. Where the officer turns out to be on
// continuous work, away or in a remote area, 综合处 records the exception here
// (after the deadline it is theirs to weigh), which moves the deadline to 24
// hours after the declared return.
import { useState } from 'react';
import type { CheckoutDetail } from '../../../shared/custody.js';
import { useSession, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';
import { declaredText, mayDeclareException, useDeclareException } from './DeclareExceptionDialog.js';

export function OverdueScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const time = useStationTime();
  const overdue = useQuery('custody.overdue', {}, { refreshOn: ['custody.changed', 'custody.overdue'] });
  // The checkout as declared, not a sentence: the notice follows a change of language.
  const [declared, setDeclared] = useState<CheckoutDetail | null>(null);
  const declare = useDeclareException(setDeclared);
  const checkouts = overdue.result?.ok ? overdue.result.value.checkouts : [];
  const asOf = overdue.result?.ok ? overdue.result.value.asOf : 0;
  const withAction = checkouts.some((c) => mayDeclareException(c, can));
  // A custodian sees why there is no button: after the deadline the exception is 综合处's.
  const onlyGeneralOffice = checkouts.length > 0 && !withAction && can('custody.operate');
  return (
    <section className="page">
      <h1 className="screen-title">{t('overdue.title')}</h1>
      <p className="lead">{t('overdue.intro')}</p>
      {declared && (
        <p className="alert alert-ok" role="status">
          {declaredText(t, time, declared)}
        </p>
      )}
      {overdue.result && !overdue.result.ok && <ErrorAlert error={overdue.result.error} />}
      {onlyGeneralOffice && <p className="alert alert-info">{t('exception.overdueHint')}</p>}
      {overdue.result?.ok &&
        (checkouts.length === 0 ? (
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
                  {withAction && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {checkouts.map((c) => (
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
                    {withAction && (
                      <td>
                        {declare.button(c, asOf)}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
      {declare.dialog}
    </section>
  );
}
