// An officer's own record: the cameras they took, the offload deadlines
// (第十五条) with what is still open counting down, and late offloads.
import { useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';
import { CheckoutTable } from './CheckoutTable.js';

export function MyHistory() {
  const { t } = useI18n();
  const time = useStationTime();
  const mine = useQuery('custody.mine', {}, { refreshOn: ['custody.changed', 'custody.overdue', 'norecord.changed'] });
  if (!mine.result) return null;
  if (!mine.result.ok) return <ErrorAlert error={mine.result.error} />;
  const { asOf, checkouts, lateOffloads } = mine.result.value;
  return (
    <section className="card" aria-labelledby="mine-title">
      <h2 id="mine-title" className="section-title">
        {t('mine.title')}
      </h2>
      <CheckoutTable label={t('mine.title')} checkouts={checkouts} asOf={asOf} empty={t('mine.none')} showOfficer={false} />
      {lateOffloads.length > 0 && (
        <>
          <h3 className="section-title">{t('mine.late')}</h3>
          <ul className="plain-list">
            {lateOffloads.map((l) => (
              <li key={l.id}>{t('mine.lateItem', { serial: l.device.serial, deadline: time(l.deadlineAt), late: duration(t, l.lateMs) })}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
