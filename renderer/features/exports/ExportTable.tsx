// Exports as a table, newest first: the number (a link to its page), where it stands, the case,
// how many recordings, 制作人, 提取人 and 提取时间 (第十七条) — the register's columns.
import type { ReactNode } from 'react';
import type { ExportRecord } from '../../../shared/export.js';
import { useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { sizeText } from '../library/words.js';
import { CaseLink } from './ExportSummary.js';
import { purposeText, recipientText, stateText, stateTone } from './words.js';

export function ExportTable({ label, exports, empty, action }: { label: string; exports: ExportRecord[]; empty: string; action?: (e: ExportRecord) => ReactNode }) {
  const { t } = useI18n();
  const time = useStationTime();
  if (exports.length === 0) return <p className="muted">{empty}</p>;
  return (
    <TableWrap label={label}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('exports.col.exportNo')}</th>
            <th scope="col">{t('fields.status')}</th>
            <th scope="col">{t('exports.col.case')}</th>
            <th scope="col">{t('exports.col.clips')}</th>
            <th scope="col">{t('exports.col.maker')}</th>
            <th scope="col">{t('exports.col.recipient')}</th>
            <th scope="col">{t('exports.col.extractedAt')}</th>
            {action && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {exports.map((e) => (
            <tr key={e.id} data-export={e.id}>
              <td className="nowrap">
                <a className="table-link mono" href={href({ screen: 'export', id: e.id })}>
                  {e.exportNo}
                </a>
                <div className="muted">{time(e.createdAt)}</div>
              </td>
              <td>
                <span className={`tag ${stateTone(e.state)} nowrap`}>{stateText(t, e.state)}</span>
                {e.purpose !== 'evidence' && <div className="muted nowrap">{purposeText(t, e.purpose)}</div>}
              </td>
              <td>
                <CaseLink record={e} />
              </td>
              <td className="nowrap">{t('exports.clipsLine', { n: e.clips, size: sizeText(t, e.bytes) })}</td>
              <td className="nowrap">{e.maker.label}</td>
              <td>{recipientText(t, e.recipient)}</td>
              <td className="nowrap">{e.extractedAt === null ? '—' : time(e.extractedAt)}</td>
              {action && <td>{action(e)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
