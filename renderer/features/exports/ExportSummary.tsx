// What a head reads before deciding, and what the register's row says in short: the case or
// the clips, why the discs are made, who made the record (制作人) and who is to take them (提取人).
import type { ExportRecord } from '../../../shared/export.js';
import { href } from '../../app/route.js';
import { useI18n } from '../../i18n/i18n.js';
import { sizeText } from '../library/words.js';
import { caseText, mediumText, purposeText, reasonText, recipientText } from './words.js';

export function CaseLink({ record: e }: { record: Pick<ExportRecord, 'caseId' | 'caseNo' | 'caseCause'> }) {
  const { t } = useI18n();
  if (e.caseId === null) return <span className="muted">{caseText(t, e)}</span>;
  return (
    <a className="table-link nowrap" href={href({ screen: 'library', query: `case=${e.caseId}` })}>
      {caseText(t, e)}
    </a>
  );
}

export function ExportSummary({ record: e }: { record: ExportRecord }) {
  const { t } = useI18n();
  return (
    <dl className="facts">
      <dt>{t('exports.col.exportNo')}</dt>
      <dd className="mono">{e.exportNo}</dd>
      <dt>{t('exports.col.case')}</dt>
      <dd>
        <CaseLink record={e} />
        {e.caseCause && <span> {e.caseCause}</span>}
      </dd>
      <dt>{t('exports.col.clips')}</dt>
      <dd>{t('exports.clipsLine', { n: e.clips, size: sizeText(t, e.bytes) })}</dd>
      <dt>{t('exports.col.purpose')}</dt>
      <dd>{purposeText(t, e.purpose)}</dd>
      <dt>{t('exports.col.medium')}</dt>
      <dd>{mediumText(t, e.medium)}</dd>
      <dt>{t('exports.col.maker')}</dt>
      <dd>{e.maker.label}</dd>
      <dt>{t('exports.col.recipient')}</dt>
      <dd>{recipientText(t, e.recipient)}</dd>
      {e.needsApproval.length > 0 && (
        <>
          <dt>{t('exports.col.needsApproval')}</dt>
          <dd>{e.needsApproval.map((r) => reasonText(t, r)).join(t('common.listSeparator'))}</dd>
        </>
      )}
      {e.note && (
        <>
          <dt>{t('fields.note')}</dt>
          <dd className="break">{e.note}</dd>
        </>
      )}
    </dl>
  );
}
