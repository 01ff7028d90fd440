// One export's page (第十七、二十条): every field the register keeps — 制作人, 提取人, 提取时间,
// the approval — then, by state, the build's progress, the failure in full, the discs with
// their images and 说明, and what can be done next. Follows export.changed; the progress comes
// from export.progress events.
import { useState } from 'react';
import type { ExportRecord } from '../../../shared/export.js';
import { useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { sizeText } from '../library/words.js';
import { BuildProgress } from './BuildProgress.js';
import { useExportProgress } from './useExportProgress.js';
import { DiscList } from './DiscList.js';
import { ExportActions } from './ExportActions.js';
import { CaseLink } from './ExportSummary.js';
import { mediumText, purposeText, reasonText, stateText, stateTone } from './words.js';

export function ExportScreen({ id }: { id: number }) {
  const { t } = useI18n();
  const record = useQuery('exports.get', { id }, { refreshOn: ['export.changed'] });
  const e = record.result?.ok ? record.result.value : null;
  return (
    <section className="page">
      <a className="back-link" href={href({ screen: 'exports' })}>
        ← {t('exports.back')}
      </a>
      {record.result && !record.result.ok && <ErrorAlert error={record.result.error} />}
      {e && <ExportView record={e} />}
    </section>
  );
}

function ExportView({ record: e }: { record: ExportRecord }) {
  const { t } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  // A burn of a ready disc reports like a build (step burn, then the disc's read-back).
  const live = useExportProgress(e.id, null);
  const burning = e.state === 'ready' && live !== null && (live.step === 'burn' || live.step === 'readback');
  return (
    <>
      <div className="page-head">
        <h1 className="screen-title">{t('exports.one', { exportNo: e.exportNo })}</h1>
        <span className={`tag ${stateTone(e.state)} tag-large`} data-testid="export-state">
          {stateText(t, e.state)}
        </span>
      </div>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      <StateLine record={e} />
      {(e.state === 'building' || burning) && <BuildProgress record={e} />}
      {e.state === 'failed' && e.failure && <Failure failure={e.failure} />}
      <ExportActions record={e} onNotice={setNotice} />
      <ExportFacts record={e} />
      {(e.state === 'ready' || e.state === 'handed_over') && e.discs.length > 0 && <DiscList record={e} onNotice={setNotice} />}
    </>
  );
}

/** One sentence on where the export stands and what comes next. */
function StateLine({ record: e }: { record: ExportRecord }) {
  const { t } = useI18n();
  const reasons = e.needsApproval.map((r) => reasonText(t, r)).join(t('common.listSeparator'));
  return <p className="lead">{t(`exports.next.${e.state}`, { reasons, n: e.discs.length })}</p>;
}

/** The core's message is shown whole: it names the file or the tool that failed. */
function Failure({ failure }: { failure: NonNullable<ExportRecord['failure']> }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-error" role="alert">
      <p>
        <strong>{t(`exports.failure.${failure.code}`)}</strong>
      </p>
      <p className="break">{failure.message}</p>
    </div>
  );
}

function ExportFacts({ record: e }: { record: ExportRecord }) {
  const { t } = useI18n();
  const time = useStationTime();
  const at = (ms: number | null) => (ms === null ? '—' : time(ms));
  const r = e.recipient;
  return (
    <div className="card">
      <dl className="facts">
        <dt>{t('exports.col.exportNo')}</dt>
        <dd className="mono">{e.exportNo}</dd>
        <dt>{t('exports.col.case')}</dt>
        <dd>
          <CaseLink record={e} />
          {e.caseCause && <span> {e.caseCause}</span>}
        </dd>
        <dt>{t('exports.col.clips')}</dt>
        <dd>
          {t('exports.clipsLine', { n: e.clips, size: sizeText(t, e.bytes) })}{' '}
          {e.caseId !== null && (
            <a className="table-link" href={href({ screen: 'library', query: `case=${e.caseId}` })}>
              {t('exports.seeClips')}
            </a>
          )}
        </dd>
        <dt>{t('exports.col.purpose')}</dt>
        <dd>{purposeText(t, e.purpose)}</dd>
        <dt>{t('exports.col.medium')}</dt>
        <dd>{mediumText(t, e.medium)}</dd>
        <dt>{t('exports.col.maker')}</dt>
        <dd>{e.maker.label}</dd>
        <dt>{t('exports.col.recipient')}</dt>
        <dd>
          {r.kind === 'person' ? (
            t('common.personRef', { name: r.name, badge: r.badge })
          ) : (
            <>
              <div>{r.name}</div>
              <div>{t('exports.unitLine', { unit: r.unit })}</div>
              <div className="mono">{t('exports.idNoLine', { idNo: r.idNo })}</div>
            </>
          )}
        </dd>
        <dt>{t('exports.col.createdAt')}</dt>
        <dd>{time(e.createdAt)}</dd>
        <dt>{t('exports.col.extractedAt')}</dt>
        <dd>{at(e.extractedAt)}</dd>
        <dt>{t('exports.col.approval')}</dt>
        <dd>
          {e.needsApproval.length === 0 ? t('exports.noApprovalNeeded') : e.needsApproval.map((x) => reasonText(t, x)).join(t('common.listSeparator'))}
          {e.approvedAt !== null && <div>{t(e.state === 'refused' ? 'exports.refusedBy' : 'exports.approvedBy', { who: e.approvedBy ?? '—', time: time(e.approvedAt) })}</div>}
          {e.decisionNote && <div className="break">{t(e.state === 'refused' ? 'exports.refusedBecause' : 'exports.approverNote', { note: e.decisionNote })}</div>}
        </dd>
        <dt>{t('exports.col.handedOverAt')}</dt>
        <dd>{at(e.handedOverAt)}</dd>
        <dt>{t('fields.note')}</dt>
        <dd className="break">{e.note ?? '—'}</dd>
      </dl>
    </div>
  );
}
