// On a recording's page: the evidence discs it went out on (第十七、二十条), for whoever reads
// the export register; and for 综合处 the way to export this recording alone (no case: a head
// approves it first), or as part of one of its cases.
import { useState } from 'react';
import type { ClipDetail } from '../../../shared/library.js';
import { isSecret } from '../../../shared/library.js';
import { useSession } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { ExportTable } from './ExportTable.js';
import { NewExportDialog } from './NewExportDialog.js';

export function ClipExports({ clip }: { clip: Pick<ClipDetail, 'id' | 'cases' | 'confidentiality'> }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [making, setMaking] = useState<{ caseId?: number; caseNo?: string } | null>(null);
  const list = useQuery('exports.list', { clipId: clip.id, limit: 100 }, { refreshOn: ['export.changed'] });
  return (
    // Not a named region itself: its table is, by the same name.
    <section>
      <h2 className="section-title">
        {t('exports.clip.title')}
      </h2>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && <ExportTable label={t('exports.clip.title')} exports={list.result.value.exports} empty={t('exports.clip.none')} />}
      {can('export.make') && (
        <div className="button-row">
          {clip.cases.map((c) => (
            <button key={c.id} type="button" className="btn btn-secondary" onClick={() => setMaking({ caseId: c.id, caseNo: c.caseNo })}>
              {t('exports.clip.makeInCase', { caseNo: c.caseNo })}
            </button>
          ))}
          <button type="button" className="btn btn-secondary" onClick={() => setMaking({})}>
            {t('exports.clip.makeAlone')}
          </button>
        </div>
      )}
      {making && (
        <NewExportDialog caseId={making.caseId} caseNo={making.caseNo} clipIds={[clip.id]} secret={isSecret(clip.confidentiality)} onClose={() => setMaking(null)} />
      )}
    </section>
  );
}
