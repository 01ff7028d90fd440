// On a department head's home, at login: how many exports wait for their approval (第二十条),
// one tap from the register. Their own are not counted: another head decides those.
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

export function PendingExportsCard() {
  const { t } = useI18n();
  // One row is enough: the count comes with every answer.
  const pending = useQuery('exports.list', { state: 'pending_approval', limit: 1 }, { refreshOn: ['export.changed'] });
  if (!pending.result) return null;
  if (!pending.result.ok) return <ErrorAlert error={pending.result.error} />;
  const n = pending.result.value.pendingForMe;
  return (
    <a className={`card card-link pending-views${n > 0 ? ' pending-views-waiting' : ''}`} href={href({ screen: 'exports' })}>
      <span className="card-link-title">{n > 0 ? t('exports.home.pending', { n }) : t('exports.home.none')}</span>
      <span className="card-link-text">{t('exports.home.text')}</span>
    </a>
  );
}
