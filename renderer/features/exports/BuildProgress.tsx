// A build in progress, read from across the desk: which step, which disc of how many, the bar,
// the rate and the time left — the same units the dock board uses for an offload.
import type { ExportRecord } from '../../../shared/export.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration, megabytes } from '../board/format.js';
import { useExportProgress } from './useExportProgress.js';
import { stepText } from './words.js';

export function BuildProgress({ record }: { record: ExportRecord }) {
  const { t } = useI18n();
  const p = useExportProgress(record.id, record.progress);
  const percent = p && p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
  return (
    <div className="card dock-progress" data-testid="build-progress">
      <p className="big-line" role="status">
        {p ? t('exports.progress.line', { step: stepText(t, p.step), disc: p.disc, discs: p.discs }) : t('exports.progress.starting')}
      </p>
      <progress max={100} value={percent} aria-label={t('exports.progress.label', { exportNo: record.exportNo })} />
      {p && (
        <p className="dock-rate">
          {t('exports.progress.done', { percent, done: megabytes(p.done), total: megabytes(p.total) })}
          {p.bytesPerSecond !== null && <> · {t('exports.progress.rate', { mbps: megabytes(p.bytesPerSecond) })}</>}
          {p.etaSeconds !== null && <span className="dock-eta">{t('exports.progress.eta', { left: duration(t, p.etaSeconds * 1000) })}</span>}
        </p>
      )}
      <p className="muted">{t('exports.progress.hint')}</p>
    </div>
  );
}
