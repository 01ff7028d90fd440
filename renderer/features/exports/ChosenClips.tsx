// Recordings chosen in the library's results, to be exported together (综合处, 第十七条): the
// choice stays while the person searches on (clips of several searches may go on one disc), and
// is said and cleared in one bar above the results. With the search scoped to one case, the
// export is of that case (each chosen clip must be in it: the core says which is not).
import { useCallback, useState } from 'react';
import { MAX_EXPORT_CLIPS } from '../../../shared/export.js';
import { useQuery } from '../../app/useQuery.js';
import { useI18n } from '../../i18n/i18n.js';
import type { ClipSelection } from '../library/ClipTable.js';
import { NewExportDialog } from './NewExportDialog.js';

export function useChosenClips(): ClipSelection & { clear(): void } {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  // Stable, so ClipTable's memoised rows render again only when their own box changes.
  const toggle = useCallback((id: number) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id) && next.size < MAX_EXPORT_CLIPS) next.add(id);
      return next;
    });
  }, []);
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, toggle, clear };
}

export function ChosenClipsBar({ chosen, caseId }: { chosen: ReturnType<typeof useChosenClips>; caseId?: number | undefined }) {
  const { t } = useI18n();
  const [exporting, setExporting] = useState(false);
  // The case's number for the dialog (the library's case panel reads the same).
  const legalCase = useQuery('cases.get', { id: caseId ?? 1, limit: 1 }, { enabled: caseId !== undefined && exporting });
  const caseNo = legalCase.result?.ok ? legalCase.result.value.caseNo : undefined;
  const n = chosen.selected.size;
  if (n === 0 && !exporting) return null;
  return (
    <div className="selection-bar card" role="group" aria-label={t('exports.chosen.label')}>
      <span className="big-line" role="status">
        {t('exports.chosen.count', { n })}
      </span>
      <button type="button" className="btn btn-primary" disabled={n === 0} onClick={() => setExporting(true)}>
        {t('exports.chosen.export')}
      </button>
      <button type="button" className="btn btn-secondary" onClick={chosen.clear}>
        {t('exports.chosen.clear')}
      </button>
      {exporting && (
        <NewExportDialog
          caseId={caseId}
          caseNo={caseNo}
          clipIds={[...chosen.selected]}
          onClose={() => {
            setExporting(false);
          }}
        />
      )}
    </div>
  );
}
