// Above a search that is one case's or one checkout's recordings: what that case (or checkout)
// is, and the way to ask to view all of it at once (第十八条: a request may name a whole case or
// checkout; the grant then covers its recordings as they are when viewed). For 综合处 also the way
// to make the case's evidence discs (第十七条).
import { useState } from 'react';
import { useSession } from '../../app/context.js';
import { isSecret } from '../../../shared/library.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { NewExportDialog } from '../exports/NewExportDialog.js';
import { RequestViewDialog } from '../viewing/RequestViewDialog.js';
import { levelText } from './words.js';

export function ScopePanel({ caseId, checkoutId }: { caseId?: number | undefined; checkoutId?: number | undefined }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [asking, setAsking] = useState(false);
  const [exporting, setExporting] = useState(false);
  const legalCase = useQuery('cases.get', { id: caseId ?? 1, limit: 1 }, { enabled: caseId !== undefined, refreshOn: ['audit.appended'] });
  if (caseId === undefined && checkoutId === undefined) return null;
  const c = legalCase.result?.ok ? legalCase.result.value : null;
  const ask = can('viewing.request') && (
    <button type="button" className="btn btn-secondary" onClick={() => setAsking(true)}>
      {t(caseId !== undefined ? 'library.scope.askCase' : 'library.scope.askCheckout')}
    </button>
  );
  // A case's discs, once its record is read (the dialog names it and knows whether it is secret).
  const exportButton = caseId !== undefined && c && can('export.make') && (
    <button type="button" className="btn btn-primary" onClick={() => setExporting(true)}>
      {t('exports.scope.make')}
    </button>
  );
  return (
    <div className="card">
      {caseId !== undefined ? (
        <>
          {legalCase.result && !legalCase.result.ok && <ErrorAlert error={legalCase.result.error} />}
          {c && (
            <dl className="facts">
              <dt>{t('library.scope.caseNo')}</dt>
              <dd className="mono">{c.caseNo}</dd>
              <dt>{t('library.scope.cause')}</dt>
              <dd>{c.cause}</dd>
              <dt>{t('library.scope.handler')}</dt>
              <dd>{c.handler.badge ? t('common.personRef', { name: c.handler.name, badge: c.handler.badge }) : c.handler.name}</dd>
              <dt>{t('library.scope.level')}</dt>
              <dd>{levelText(t, c.confidentiality)}</dd>
            </dl>
          )}
        </>
      ) : (
        <p>{t('library.scope.checkout', { id: checkoutId! })}</p>
      )}
      {(ask || exportButton) && (
        <div className="button-row">
          {exportButton}
          {ask}
        </div>
      )}
      {exporting && c && <NewExportDialog caseId={c.id} caseNo={c.caseNo} secret={isSecret(c.confidentiality)} onClose={() => setExporting(false)} />}
      {asking && (
        <RequestViewDialog
          scope={caseId !== undefined ? 'case' : 'checkout'}
          {...(caseId !== undefined ? { caseId } : { checkoutId: checkoutId! })}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
