// 查阅登记 (第十八条): written by the station as each view opens and closes,
// never typed; the custodian (保管人) and 综合处 read it here, a date range at a
// time, and take it away as CSV (UTF-8 with BOM, for Excel).
import { useState } from 'react';
import type { ViewRegisterEntry } from '../../../shared/viewing.js';
import { useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { RegisterExports } from '../../app/ui/RegisterExports.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';
import { dayRange } from '../library/filters.js';
import { personText, purposeText } from './words.js';

const PAGE = 100;


export function RegisterScreen() {
  const { t } = useI18n();
  const { client, status } = useStation();
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const pages = useCursorPages<number>();
  // Calendar days on the station's clock, the last one whole.
  const range = dayRange(fromDay, toDay, status.timeZone);
  // New views are registered as they open and close; each is an audit row too.
  const list = useQuery('viewing.register', { ...range, limit: PAGE, ...(pages.before === undefined ? {} : { beforeId: pages.before }) }, { refreshOn: ['audit.appended'] });
  const value = list.result?.ok ? list.result.value : null;
  const entries = value?.entries ?? [];
  const shownBefore = (pages.page - 1) * PAGE;
  const setDay = (set: (day: string) => void) => (day: string) => {
    set(day);
    pages.reset();
  };

  return (
    <section className="page">
      <h1 className="screen-title">{t('viewing.register.title')}</h1>
      <p className="lead">{t('viewing.register.intro')}</p>
      <div className="card">
        <div className="form-row">
          <TextField label={t('viewing.register.fromDay')} type="date" value={fromDay} onChange={(e) => setDay(setFromDay)(e.target.value)} />
          <TextField label={t('viewing.register.toDay')} type="date" value={toDay} onChange={(e) => setDay(setToDay)(e.target.value)} />
        </div>
        {/* The register's exports, each made (and audited) by the core; saved where the person chooses. */}
        <RegisterExports
          label={t('viewing.register.exports')}
          buttonText={(format) => t(`viewing.register.export.${format}`)}
          make={(format) => client.call(format === 'csv' ? 'viewing.registerCsv' : format === 'pdf' ? 'viewing.registerPdf' : 'viewing.registerXlsx', range)}
          onSaved={(r) => setNotice(t('viewing.register.exported', { n: r.rows, file: r.fileName }))}
        />
      </div>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {value && value.total > 0 && (
        <p className="library-summary" role="status">
          {t('viewing.register.total', { n: value.total, from: shownBefore + 1, to: shownBefore + entries.length })}
        </p>
      )}
      {value && entries.length === 0 && <p className="empty">{t('viewing.register.empty')}</p>}
      {entries.length > 0 && <RegisterTable entries={entries} />}
      <Pager
        pages={pages}
        olderFrom={value && shownBefore + entries.length < value.total ? entries.at(-1)?.id : undefined}
        newerLabel={t('viewing.newer')}
        olderLabel={t('viewing.older')}
      />
    </section>
  );
}

/** The closing time without its date when the view closed the day it opened ("2026-11-27 09:00:00" is the shared format). */
function closedText(opened: string, closed: string): string {
  return opened.slice(0, 10) === closed.slice(0, 10) ? closed.slice(11) : closed;
}

function RegisterTable({ entries }: { entries: ViewRegisterEntry[] }) {
  const { t } = useI18n();
  const time = useStationTime();
  return (
    <TableWrap label={t('viewing.register.title')}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('viewing.register.col.viewer')}</th>
            {/* Ten columns, most of them times and names that do not wrap: the reason keeps room to be read as a sentence. */}
            <th scope="col" style={{ minWidth: '10em' }}>
              {t('viewing.col.reason')}
            </th>
            <th scope="col">{t('viewing.col.purpose')}</th>
            <th scope="col">{t('viewing.register.col.clip')}</th>
            <th scope="col">{t('viewing.col.approver')}</th>
            <th scope="col">{t('viewing.col.grant')}</th>
            <th scope="col">{t('viewing.register.col.opened')}</th>
            <th scope="col">{t('viewing.register.col.closed')}</th>
            <th scope="col">{t('viewing.register.col.length')}</th>
            <th scope="col">{t('viewing.register.col.ended')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{personText(t, e.viewer)}</td>
              <td>{e.reason}</td>
              <td className="nowrap">{purposeText(t, e.purpose)}</td>
              <td className="nowrap">
                <a className="table-link" href={href({ screen: 'clip', id: e.clipId })}>
                  {t('viewing.clipLink', { id: e.clipId })}
                </a>
              </td>
              <td>{e.approver ?? '—'}</td>
              <td className="nowrap">{e.grantId === null ? t('viewing.register.ownFootage') : t('viewing.grantNo', { id: e.grantId })}</td>
              <td className="nowrap">{time(e.openedAt)}</td>
              <td className="nowrap">{e.closedAt === null ? <span className="tag tag-warn">{t('viewing.register.open')}</span> : closedText(time(e.openedAt), time(e.closedAt))}</td>
              <td className="nowrap">{e.closedAt === null ? '—' : duration(t, e.closedAt - e.openedAt)}</td>
              <td>{e.closedBecause === null ? '—' : t(`viewing.register.ended.${e.closedBecause}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
