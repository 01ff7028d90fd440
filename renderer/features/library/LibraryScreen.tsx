// 音视频资料查询: find recordings by officer, camera, day, 重点, kind, work
// type, damage, level and case (第四、二十一条). Metadata only; the filters live
// in the URL, the results are read a page at a time by keyset ("load more").
import { useEffect, useState } from 'react';
import type { ClipSummary, LibraryCursor, LibraryPage } from '../../../shared/library.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useSession, useStation } from '../../app/context.js';
import { navigate } from '../../app/route.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { ClipTable } from './ClipTable.js';
import type { LibraryFilters } from './filters.js';
import { filtersQuery, parseFilters, searchFilter } from './filters.js';
import { FilterPanel } from './FilterPanel.js';
import { ScopePanel } from './ScopePanel.js';
import { ChosenClipsBar, useChosenClips } from '../exports/ChosenClips.js';

const PAGE_SIZE = 100;

interface Results {
  key: string;
  clips: ClipSummary[];
  next: LibraryCursor | null;
  total: LibraryPage['total'];
  /** The first page's refusal (a "load more" refusal is kept apart: the rows shown stay). */
  error: StationErrorBody | null;
}

export function LibraryScreen({ query }: { query: string }) {
  const { t } = useI18n();
  const { client, status } = useStation();
  const { can } = useSession();
  // 综合处 may choose results to export together.
  const chosen = useChosenClips();
  const mayExport = can('export.make');
  const filters = parseFilters(query);
  // The normalised query: the same search written two ways is one key.
  const key = filtersQuery(filters);
  const [results, setResults] = useState<Results | null>(null);
  const [moreError, setMoreError] = useState<StationErrorBody | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let live = true;
    void client.call('library.search', { ...searchFilter(parseFilters(key), status.timeZone), limit: PAGE_SIZE }).then((r) => {
      if (!live) return;
      setResults(r.ok ? { key, clips: r.value.clips, next: r.value.next, total: r.value.total, error: null } : { key, clips: [], next: null, total: null, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [client, key, status.timeZone]);

  const loadMore = async () => {
    if (!results?.next) return;
    setLoadingMore(true);
    const r = await client.call('library.search', { ...searchFilter(parseFilters(key), status.timeZone), after: results.next, limit: PAGE_SIZE });
    setLoadingMore(false);
    setMoreError(r.ok ? null : r.error);
    if (!r.ok) return;
    setResults((prev) => (prev && prev.key === key ? { ...prev, clips: [...prev.clips, ...r.value.clips], next: r.value.next } : prev));
  };

  const change = (next: LibraryFilters) => navigate({ screen: 'library', query: filtersQuery(next) });
  const shown = results?.key === key ? results : null;
  const total = shown?.total;

  return (
    <section className="page">
      <h1 className="screen-title">{t('library.title')}</h1>
      <p className="lead">{t('library.intro')}</p>
      <FilterPanel filters={filters} onChange={change} />
      <ScopePanel caseId={filters.caseId} checkoutId={filters.checkoutId} />
      <ErrorAlert error={shown?.error ?? null} />
      <p className="library-summary" role="status">
        {!shown
          ? t('library.searching')
          : total
            ? total.capped
              ? t('library.totalCapped', { n: total.count })
              : t('library.total', { n: total.count, shown: shown.clips.length })
            : ''}
      </p>
      {shown && !shown.error && shown.clips.length === 0 && <p className="empty">{t('library.none')}</p>}
      {mayExport && <ChosenClipsBar chosen={chosen} caseId={filters.caseId} />}
      {shown && shown.clips.length > 0 && <ClipTable clips={shown.clips} selection={mayExport ? chosen : undefined} />}
      <ErrorAlert error={moreError} />
      {shown?.next && (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? t('common.working') : t('library.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
