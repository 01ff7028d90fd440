// A dock's details for whoever may see the board (ingest.view): what the
// camera reported, and every file with its state. When an offload fails the
// card only says so; here the custodian sees which files were not stored and
// why (in the reader's language, by the failure's kind), which were stored
// damaged (bit-exact, with the probe's message), and what on the camera was
// not followed (a symbolic link, a `..` name). The list follows the core's
// events while the offload runs.
import { damageKind, type DockSessionDetail, type IngestFileView } from '../../../shared/ingest.js';
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
  // A file ffprobe gave no verdict on (it did not run, or timed out) is flagged like a damaged one,
  // but is not known to be damaged: listed apart, so nobody takes it for a broken recording.
  const flagged = detail.files.filter((f) => f.damaged);
  const notChecked = flagged.filter(isNotChecked);
  const damaged = flagged.filter((f) => !isNotChecked(f));
  const flaggedItem = (f: IngestFileView) => ({
    key: String(f.id),
    path: f.originalPath,
    text: t(`dockDetail.damage.${damageKind(f.damageReason)}`),
    // The checker's own words, as the clip keeps them: what 综合处 or a technician would look up.
    detail: f.damageReason ? t('dockDetail.damageMessage', { message: f.damageReason }) : undefined,
  });
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

      <PathList
        id="dock-detail-failed"
        title={t('dockDetail.failedTitle', { n: failed.length })}
        lead={t('dockDetail.failedLead')}
        items={failed.map((f) => ({ key: String(f.id), path: f.originalPath, text: t(`dockDetail.failure.${f.failureKind ?? 'other'}`) }))}
      />
      <PathList
        id="dock-detail-damaged"
        title={t('dockDetail.damagedTitle', { n: damaged.length })}
        lead={t('dockDetail.damagedLead')}
        items={damaged.map(flaggedItem)}
      />
      <PathList
        id="dock-detail-not-checked"
        title={t('dockDetail.notCheckedTitle', { n: notChecked.length })}
        lead={t('dockDetail.notCheckedLead')}
        items={notChecked.map(flaggedItem)}
      />
      <PathList
        id="dock-detail-notices"
        title={t('dockDetail.noticesTitle', { n: detail.notices.length })}
        items={detail.notices.map((n) => ({ key: `${n.kind} ${n.path}`, path: n.path, text: t(`dockDetail.notice.${n.kind}`) }))}
      />

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

/** A titled list of paths on the camera, each with what happened to it; nothing when empty. */
function PathList({
  id,
  title,
  lead,
  items,
}: {
  id: string;
  title: string;
  lead?: string;
  items: { key: string; path: string; text: string; detail?: string | undefined }[];
}) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="section-title">
        {title}
      </h3>
      {lead && <p>{lead}</p>}
      <ul className="plain-list">
        {items.map((i) => (
          <li key={i.key}>
            <span className="mono">{i.path}</span>
            <br />
            {i.text}
            {i.detail && (
              <>
                <br />
                <span className="muted">{i.detail}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
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

const isNotChecked = (f: IngestFileView) => f.damaged && damageKind(f.damageReason) === 'probe_failed';

function FileState({ file }: { file: IngestFileView }) {
  const { t } = useI18n();
  // A stored file whose camera time cannot be true says so beside its state: its time is not fact.
  const clock = file.clockWrong && (
    <>
      {' '}
      <span className="tag tag-warn">{t('dockDetail.fileState.clockWrong')}</span>
    </>
  );
  const state = isNotChecked(file) ? (
    <span className="tag tag-warn">{t('dockDetail.fileState.notChecked')}</span>
  ) : file.damaged ? (
    <span className="tag tag-warn">{t('dockDetail.fileState.damaged')}</span>
  ) : (
    <span className={STATE_TAG[file.state]}>{t(`dockDetail.fileState.${file.state}`)}</span>
  );
  return (
    <>
      {state}
      {clock}
    </>
  );
}

/** 第七条: how far the camera's clock was off when it docked. */
function skewText(t: Translate, ms: number | null): string {
  if (ms === null) return t('dockDetail.notReported');
  if (Math.abs(ms) < 1000) return t('dockDetail.skewNone');
  return t(ms < 0 ? 'dockDetail.skewSlow' : 'dockDetail.skewFast', { by: duration(t, Math.abs(ms)) });
}
