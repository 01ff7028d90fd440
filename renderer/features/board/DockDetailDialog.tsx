// A dock's details for whoever may see the board (ingest.view): what the
// camera reported, and every file with its state. When an offload fails the
// card only says so; here the custodian sees which files were not stored and
// why (in the reader's language, by the failure's kind), which were stored
// damaged (bit-exact, with the probe's message), and what on the camera was
// not followed (a symbolic link, a `..` name). The list follows the core's
// events while the offload runs.
import type { DockSessionDetail, IngestFileView } from '../../../shared/ingest.js';
import { useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import type { Translate } from '../../i18n/i18n.js';
import { useI18n } from '../../i18n/i18n.js';
import { duration, fileSize } from './format.js';

export function DockDetailDialog({ dockId, serial, onClose }: { dockId: number; serial: string; onClose(): void }) {
  const { t } = useI18n();
  const detail = useQuery('dock.get', { id: dockId }, { refreshOn: ['ingest.fileChanged', 'dock.changed', 'dock.detached'] });
  return (
    <Dialog
      title={t('dockDetail.title', { serial })}
      onClose={onClose}
      wide
      actions={
        <button type="button" className="btn btn-secondary" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
      }
    >
      {detail.result && !detail.result.ok && <ErrorAlert error={detail.result.error} />}
      {detail.result?.ok && <DetailBody detail={detail.result.value} />}
    </Dialog>
  );
}

function DetailBody({ detail }: { detail: DockSessionDetail }) {
  const { t } = useI18n();
  const time = useStationTime();
  const failed = detail.files.filter((f) => f.state === 'failed');
  const damaged = detail.files.filter((f) => f.damaged);
  return (
    <>
      <dl className="facts">
        <dt>{t('dockDetail.attachedAt')}</dt>
        <dd>{time(detail.attachedAt)}</dd>
        {detail.finishedAt !== null && (
          <>
            <dt>{t('dockDetail.finishedAt')}</dt>
            <dd>{time(detail.finishedAt)}</dd>
          </>
        )}
        <dt>{t('dockDetail.files')}</dt>
        <dd>
          {t('dockDetail.filesSummary', {
            total: detail.filesTotal,
            committed: detail.filesCommitted,
            dup: detail.filesDuplicate,
            failed: detail.filesFailed,
          })}
        </dd>
        <dt>{t('dockDetail.clock')}</dt>
        <dd>{skewText(t, detail.clockSkewMs)}</dd>
        <dt>{t('dockDetail.battery')}</dt>
        <dd>{detail.batteryPercent === null ? t('dockDetail.notReported') : `${detail.batteryPercent}%`}</dd>
        <dt>{t('dockDetail.freeSpace')}</dt>
        <dd>{detail.freeBytes === null ? t('dockDetail.notReported') : fileSize(t, detail.freeBytes)}</dd>
      </dl>

      {failed.length > 0 && (
        <section aria-labelledby="dock-detail-failed">
          <h3 id="dock-detail-failed" className="section-title">
            {t('dockDetail.failedTitle', { n: failed.length })}
          </h3>
          <p>{t('dockDetail.failedLead')}</p>
          <ul className="plain-list">
            {failed.map((f) => (
              <li key={f.id}>
                <span className="mono">{f.originalPath}</span>
                <br />
                {t(`dockDetail.failure.${f.failureKind ?? 'other'}`)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {damaged.length > 0 && (
        <section aria-labelledby="dock-detail-damaged">
          <h3 id="dock-detail-damaged" className="section-title">
            {t('dockDetail.damagedTitle', { n: damaged.length })}
          </h3>
          <p>{t('dockDetail.damagedLead')}</p>
          <ul className="plain-list">
            {damaged.map((f) => (
              <li key={f.id}>
                <span className="mono">{f.originalPath}</span>
                {f.damageReason && <span className="muted"> · {f.damageReason}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {detail.notices.length > 0 && (
        <section aria-labelledby="dock-detail-notices">
          <h3 id="dock-detail-notices" className="section-title">
            {t('dockDetail.noticesTitle', { n: detail.notices.length })}
          </h3>
          <ul className="plain-list">
            {detail.notices.map((n) => (
              <li key={`${n.kind} ${n.path}`}>
                <span className="mono">{n.path}</span>
                <br />
                {t(`dockDetail.notice.${n.kind}`)}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="dock-detail-files">
        <h3 id="dock-detail-files" className="section-title">
          {t('dockDetail.filesTitle')}
        </h3>
        {detail.files.length === 0 ? (
          <p className="empty">{t('dockDetail.noFiles')}</p>
        ) : (
          <TableWrap label={t('dockDetail.filesTitle')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('dockDetail.path')}</th>
                  <th scope="col">{t('dockDetail.kind')}</th>
                  <th scope="col">{t('dockDetail.size')}</th>
                  <th scope="col">{t('dockDetail.state')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.files.map((f) => (
                  <tr key={f.id}>
                    <td className="mono">{f.originalPath}</td>
                    <td className="nowrap">{t(`outside.clipKind.${f.kind}`)}</td>
                    <td className="nowrap">{fileSize(t, f.size)}</td>
                    <td>
                      <FileState file={f} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

const STATE_TAG: Record<IngestFileView['state'], string> = {
  discovered: 'tag',
  copying: 'tag',
  verifying: 'tag',
  committed: 'tag tag-ok',
  duplicate: 'tag tag-off',
  failed: 'tag tag-bad',
};

function FileState({ file }: { file: IngestFileView }) {
  const { t } = useI18n();
  if (file.damaged) return <span className="tag tag-warn">{t('dockDetail.fileState.damaged')}</span>;
  return <span className={STATE_TAG[file.state]}>{t(`dockDetail.fileState.${file.state}`)}</span>;
}

/** 第七条: how far the camera's clock was off when it docked. */
function skewText(t: Translate, ms: number | null): string {
  if (ms === null) return t('dockDetail.notReported');
  if (Math.abs(ms) < 1000) return t('dockDetail.skewNone');
  return t(ms < 0 ? 'dockDetail.skewSlow' : 'dockDetail.skewFast', { by: duration(t, Math.abs(ms)) });
}
