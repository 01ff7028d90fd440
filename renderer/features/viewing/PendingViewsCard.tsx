// On the approver's home, at login: how many view requests wait for their
// decision (第十八条), one tap from the list. Their own requests are not counted:
// another approver decides those.
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

export function PendingViewsCard() {
  const { t } = useI18n();
  // One row is enough: the count comes with every answer.
  const pending = useQuery('viewing.requests', { state: 'pending', limit: 1 }, { refreshOn: ['audit.appended'] });
  if (!pending.result) return null;
  if (!pending.result.ok) return <ErrorAlert error={pending.result.error} />;
  const n = pending.result.value.pendingForMe;
  return (
    <a className={`card card-link pending-views${n > 0 ? ' pending-views-waiting' : ''}`} href={href({ screen: 'viewingRequests' })}>
      <span className="card-link-title">{n > 0 ? t('viewing.home.pending', { n }) : t('viewing.home.none')}</span>
      <span className="card-link-text">{t('viewing.home.text')}</span>
    </a>
  );
}
