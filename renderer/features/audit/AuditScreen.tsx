// 审计日志: every change the station recorded, newest first, page by page,
// with the chain's verification on top. New rows arrive by event.
import { Fragment, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain.js';
import { useSession, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { ChainStatus } from './ChainStatus.js';
import { SealPanel } from './SealPanel.js';
import type { Words } from './format.js';
import { actionLabel, actorLabel, diff, fieldLabel, objectLabel, valueText } from './format.js';

const PAGE_SIZE = 50;

export function AuditScreen() {
  const { t, has } = useI18n();
  const time = useStationTime();
  const { can } = useSession();
  // Login and PIN rows name a person only by id: today's badge and name make them readable.
  const people = useQuery('people.list', { includeInactive: true }, { refreshOn: ['people.changed'], enabled: can('people.view') });
  const devices = useQuery('devices.list', {}, { refreshOn: ['devices.changed'], enabled: can('devices.view') });
  const words = useMemo<Words>(() => {
    const names = new Map<string, string>();
    if (people.result?.ok) for (const p of people.result.value) names.set(`person:${p.id}`, `${p.badge} ${p.name}`);
    if (devices.result?.ok) for (const d of devices.result.value) names.set(`device:${d.id}`, d.serial);
    return { t, has, time, objectName: (type, id) => names.get(`${type}:${id}`) };
  }, [t, has, time, people.result, devices.result]);
  const pages = useCursorPages<number>();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const beforeSeq = pages.before;
  const page = useQuery('audit.list', { beforeSeq, limit: PAGE_SIZE }, { refreshOn: ['audit.appended'] });
  // Verified again on every new row, so the panel never shows a stale "intact".
  const verification = useQuery('audit.verify', {}, { refreshOn: ['audit.appended'] });
  const firstBroken = verification.result?.ok && !verification.result.value.intact ? verification.result.value.firstBrokenSeq : null;
  const entries = page.result?.ok ? page.result.value.entries : [];
  const total = page.result?.ok ? page.result.value.total : 0;
  const last = entries[entries.length - 1];
  const olderFrom = entries.length === PAGE_SIZE && last !== undefined && last.seq > 1 ? last.seq : undefined;

  const toggle = (seq: number) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });

  return (
    <section className="page">
      <h1 className="screen-title">{t('audit.title')}</h1>
      <ChainStatus verification={verification} />
      <SealPanel />
      {page.result && !page.result.ok && <ErrorAlert error={page.result.error} />}
      <p className="muted" role="status">
        {t('audit.summary', { total, page: pages.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) })}
      </p>
      <TableWrap label={t('audit.title')}>
        <table className="table table-audit">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.seq')}</th>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.object')}</th>
              <th scope="col">{t('audit.col.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const open = expanded.has(e.seq);
              const detailsId = `audit-details-${e.seq}`;
              return (
                <Fragment key={e.seq}>
                  <tr className={e.seq === firstBroken ? 'row-broken' : undefined}>
                    <td className="mono">{e.seq}</td>
                    <td className="nowrap">{time(e.at)}</td>
                    <td>{actorLabel(words, e)}</td>
                    <td>
                      {actionLabel(words, e.action)}
                      {e.seq === firstBroken && <span className="tag tag-bad tag-block">✖ {t('audit.chain.firstBroken')}</span>}
                    </td>
                    <td>{objectLabel(words, e)}</td>
                    <td>
                      <button type="button" className="btn btn-small" aria-expanded={open} aria-controls={open ? detailsId : undefined} onClick={() => toggle(e.seq)}>
                        {open ? t('audit.hide') : t('audit.show')}
                      </button>
                    </td>
                  </tr>
                  {open && (
                    <tr id={detailsId} className="details-row">
                      <td colSpan={6}>
                        <EntryDetails entry={e} words={words} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {page.result?.ok && entries.length === 0 && <p className="empty">{t('audit.none')}</p>}
      <Pager pages={pages} olderFrom={olderFrom} newerLabel={t('audit.newer')} olderLabel={t('audit.older')} />
    </section>
  );
}

function EntryDetails({ entry, words }: { entry: AuditEntry; words: Words }) {
  const { t } = words;
  const rows = diff(entry.before, entry.after);
  return (
    <div className="entry-details">
      {rows.length === 0 ? (
        <p className="muted">{t('audit.noDetails')}</p>
      ) : (
        <table className="table table-diff">
          <thead>
            <tr>
              <th scope="col">{t('audit.diff.field')}</th>
              <th scope="col">{t('audit.diff.before')}</th>
              <th scope="col">{t('audit.diff.after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.field} className={r.changed ? 'diff-changed' : undefined}>
                <th scope="row">{fieldLabel(words, r.field)}</th>
                <td>{valueText(words, r.field, r.before)}</td>
                <td>
                  {valueText(words, r.field, r.after)}
                  {r.changed && <span className="visually-hidden"> {t('audit.diff.changed')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="hashes">
        <dt>{t('audit.hash')}</dt>
        <dd className="mono">{entry.hash}</dd>
        <dt>{t('audit.prevHash')}</dt>
        <dd className="mono">{entry.prevHash}</dd>
      </dl>
    </div>
  );
}
