// 每日封存 on the audit screen: the latest seals with their codes, "seal now"
// and the printable sheet for 综合处 (audit.seal), and the verification of a
// seal by its code or its scanned QR text for anyone who may read the log.
import { useState } from 'react';
import type { SealView } from '../../../shared/seal.js';
import { groupSealCode } from '../../../shared/seal.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { SealSheetDialog } from './SealSheet.js';
import { SealVerify } from './SealVerify.js';

const SHOWN = 5;

/** "全天", or "截至 14:05:00" for a seal made before its day ended. */
export function useSealScope(): (seal: SealView) => string {
  const { t } = useI18n();
  const time = useStationTime();
  return (seal) => (seal.complete ? t('audit.seal.wholeDay') : t('audit.seal.soFar', { time: time(seal.madeAt).slice(11) }));
}

export function SealPanel() {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const time = useStationTime();
  const scope = useSealScope();
  // A seal is an audit row: the list follows the log.
  const seals = useQuery('audit.seals', { limit: SHOWN }, { refreshOn: ['audit.appended'] });
  const make = useSubmit();
  const [made, setMade] = useState<SealView | null>(null);
  const [printing, setPrinting] = useState<number | null>(null);
  const maySeal = can('audit.seal');
  const list = seals.result?.ok ? seals.result.value.seals : [];

  return (
    <section className="seal-panel card" aria-labelledby="seal-title">
      <div className="seal-head">
        <h2 id="seal-title" className="section-title">
          {t('audit.seal.title')}
        </h2>
        {maySeal && (
          <button type="button" className="btn btn-primary" disabled={make.busy} onClick={() => void make.run(() => client.call('audit.seal.make', {}), setMade)}>
            {make.busy ? t('common.working') : t('audit.seal.sealNow')}
          </button>
        )}
      </div>
      <p className="muted">{t('audit.seal.intro')}</p>
      <ErrorAlert error={make.error} />
      {made && (
        <div className="alert alert-ok" role="status">
          {t('audit.seal.sealed', { number: made.number, code: groupSealCode(made.code) })}
        </div>
      )}
      {seals.result && !seals.result.ok && <ErrorAlert error={seals.result.error} />}
      {seals.result?.ok && list.length === 0 ? (
        <p className="empty">{t('audit.seal.none')}</p>
      ) : (
        <TableWrap label={t('audit.seal.latest')}>
          <table className="table table-seals">
            <thead>
              <tr>
                <th scope="col">{t('audit.seal.col.number')}</th>
                <th scope="col">{t('audit.seal.col.day')}</th>
                <th scope="col">{t('audit.seal.col.madeAt')}</th>
                <th scope="col">{t('audit.seal.col.clips')}</th>
                <th scope="col">{t('audit.seal.col.code')}</th>
                {maySeal && <th scope="col">{t('audit.seal.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.number}>
                  <td className="mono">{s.number}</td>
                  <td className="nowrap">
                    {s.day} <span className="muted">{scope(s)}</span>
                  </td>
                  <td className="nowrap">{time(s.madeAt)}</td>
                  <td>{s.clipCount}</td>
                  <td className="mono seal-code-cell">
                    {/* Four groups a line, as the sheet prints them. */}
                    <span>{groupSealCode(s.code.slice(0, 16))}</span> <span>{groupSealCode(s.code.slice(16))}</span>
                  </td>
                  {maySeal && (
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => setPrinting(s.number)}>
                        {t('audit.seal.print')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <SealVerify />
      {printing !== null && <SealSheetDialog number={printing} onClose={() => setPrinting(null)} />}
    </section>
  );
}
