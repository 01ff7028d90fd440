// The audit chain's state: green when every row still matches its hash and
// its predecessor, red naming the first row that does not and why.
import type { Query } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

export function ChainStatus({ verification }: { verification: Query<'audit.verify'> }) {
  const { t } = useI18n();
  const r = verification.result;
  if (!r) {
    return (
      <div className="chain chain-pending" role="status">
        {t('audit.chain.checking')}
      </div>
    );
  }
  if (!r.ok) return <ErrorAlert error={r.error} />;
  const v = r.value;
  return (
    <div className={`chain ${v.intact ? 'chain-ok' : 'chain-broken'}`} role="status" data-testid="chain-status">
      <span className="chain-mark" aria-hidden="true">
        {v.intact ? '✔' : '✖'}
      </span>
      <div className="chain-text">
        {v.intact ? (
          <strong>{t('audit.chain.intact', { n: v.rows })}</strong>
        ) : (
          <>
            <strong>{t('audit.chain.broken', { seq: v.firstBrokenSeq })}</strong>
            <span>{t(`audit.chain.reason.${v.reason}`)}</span>
            <span>{t('audit.chain.whatNow')}</span>
          </>
        )}
      </div>
      <button type="button" className="btn btn-secondary" onClick={verification.reload} disabled={verification.loading}>
        {t('audit.chain.verify')}
      </button>
    </div>
  );
}
