// A recording's history: every audit row about it, newest first, in plain
// words (the audit screen's wording), with what a classification changed.
import { useState } from 'react';
import type { AuditEntry } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useStation, useStationTime } from '../../app/context.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Words } from '../audit/format.js';
import { actionLabel, actorLabel, diff, fieldLabel, valueText } from '../audit/format.js';

/** The library's own fields read in its words (a level, a work type), the rest as the audit screen reads them. */
function value(w: Words, field: string, v: unknown): string {
  if (field === 'confidentiality' && typeof v === 'string' && w.has(`library.level.${v}`)) return w.t(`library.level.${v}`);
  if (field === 'workType' && typeof v === 'string' && w.has(`workType.${v}`)) return w.t(`workType.${v}`);
  if (field === 'workType' && v === null) return w.t('library.clip.workTypeFromCheckout');
  return valueText(w, field, v);
}

/**
 * `next`: the seq to read older rows from (null: none older). Older pages are read here, with
 * library.clip's history paging, and added below; the first page is the clip page's.
 */
export function ClipHistory({ clipId, entries: first, next: firstNext }: { clipId: number; entries: AuditEntry[]; next: number | null }) {
  const { t, has } = useI18n();
  const time = useStationTime();
  const { client } = useStation();
  const [older, setOlder] = useState<{ entries: AuditEntry[]; next: number | null; after: number | null }>({ entries: [], next: null, after: null });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<StationErrorBody | null>(null);
  // The first page changed (a new row): the older pages read before still follow it.
  const next = older.after === firstNext ? older.next : firstNext;
  const entries = older.after === firstNext ? [...first, ...older.entries] : first;
  const loadOlder = async () => {
    if (next === null) return;
    setLoading(true);
    const r = await client.call('library.clip', { id: clipId, historyBefore: next, historyLimit: 100 });
    setLoading(false);
    setError(r.ok ? null : r.error);
    if (r.ok) setOlder((o) => ({ entries: [...(o.after === firstNext ? o.entries : []), ...r.value.history.entries], next: r.value.history.next, after: firstNext }));
  };
  const w: Words = { t, has, time, objectName: () => undefined };
  return (
    <>
      <h2 className="section-title">{t('library.clip.history')}</h2>
      {entries.length === 0 ? (
        <p className="empty">{t('library.clip.noHistory')}</p>
      ) : (
        <TableWrap label={t('library.clip.history')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.time')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('library.clip.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const changes = e.before !== null && e.after !== null ? diff(e.before, e.after).filter((d) => d.changed) : [];
                return (
                  <tr key={e.seq}>
                    <td className="nowrap">{time(e.at)}</td>
                    <td>{actorLabel(w, e)}</td>
                    <td>{actionLabel(w, e.action)}</td>
                    <td>
                      {changes.map((d) => (
                        <div key={d.field}>
                          {t('library.clip.change', { field: fieldLabel(w, d.field), before: value(w, d.field, d.before), after: value(w, d.field, d.after) })}
                        </div>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <ErrorAlert error={error} />
      {next !== null && (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" disabled={loading} onClick={() => void loadOlder()}>
            {loading ? t('common.working') : t('library.clip.olderHistory')}
          </button>
        </div>
      )}
    </>
  );
}
