// One recording's whole record (library.clip), laid out as a camera's page:
// where it came from, its times (as the camera wrote them and as corrected),
// how its copy was verified, its custody, classification and cases, and its
// history in plain words. Never a place in the vault: the core sends none.
import { useState } from 'react';
import type { ClipDetail, Confidentiality } from '../../../shared/library.js';
import { isSecret } from '../../../shared/library.js';
import { useSession, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Translate } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';
import { ClipExports } from '../exports/ClipExports.js';
import { Player } from '../player/Player.js';
import { RequestViewDialog } from '../viewing/RequestViewDialog.js';
import { ClassifyPanel } from './ClassifyPanel.js';
import { ClipHistory } from './ClipHistory.js';
import { durationText, kindText, levelText, officerText, sizeText } from './words.js';

/** "+2 分 5 秒" / "−3 秒": how far the camera's clock was ahead (+) or behind (−) at dock. */
function skewText(t: Translate, ms: number): string {
  if (Math.abs(ms) < 1000) return t('library.clip.skewNone');
  return t(ms > 0 ? 'library.clip.skewAhead' : 'library.clip.skewBehind', { d: duration(t, Math.abs(ms)) });
}

export function ClipScreen({ id }: { id: number }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [hidden, setHidden] = useState<Confidentiality | null>(null);
  const clip = useQuery('library.clip', { id, historyLimit: 100 }, { refreshOn: ['audit.appended'], enabled: hidden === null });
  const c = clip.result?.ok ? clip.result.value : null;

  if (hidden) {
    return (
      <section className="page">
        <h1 className="screen-title">{t('library.clip.hiddenTitle')}</h1>
        <p className="alert alert-info" role="status">
          {t('library.clip.hiddenNow', { level: levelText(t, hidden) })}
        </p>
        <div className="button-row">
          <a className="btn btn-secondary" href={href({ screen: 'library', query: '' })}>
            {t('library.clip.back')}
          </a>
        </div>
      </section>
    );
  }

  return (
    <section className="page">
      <a className="back-link" href={href({ screen: 'library', query: '' })} onClick={(e) => {
        // Back to the search as it was left (its filters are in the previous URL).
        if (window.history.length > 1) {
          e.preventDefault();
          window.history.back();
        }
      }}>
        ← {t('library.clip.back')}
      </a>
      {clip.result && !clip.result.ok && <ErrorAlert error={clip.result.error} />}
      {c && <ClipRecord clip={c} reload={clip.reload} onHidden={setHidden} classify={can('library.classify')} />}
    </section>
  );
}

function ClipRecord({ clip: c, reload, onHidden, classify }: { clip: ClipDetail; reload(): void; onHidden(level: Confidentiality): void; classify: boolean }) {
  const { t, has } = useI18n();
  const { can } = useSession();
  const time = useStationTime();
  const [asking, setAsking] = useState(false);
  const at = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : time(ms));
  const codecs = [c.videoCodec, c.audioCodec].filter(Boolean).join(' / ') || '—';

  return (
    <>
      <div className="page-head">
        <h1 className="screen-title">{t('library.clip.title', { name: c.name })}</h1>
        {c.important && <span className="tag tag-warn tag-large">{t('library.important')}</span>}
        {c.confidentiality !== 'normal' && (
          <span className={`tag ${isSecret(c.confidentiality) ? 'tag-bad' : 'tag-off'} tag-large`}>{levelText(t, c.confidentiality)}</span>
        )}
        {c.damaged && <span className="tag tag-bad tag-large">{t('library.damaged')}</span>}
      </div>
      <p className="muted">{t('library.clip.playbackNote')}</p>
      <Player clip={c} onAskToView={() => setAsking(true)} />
      {asking && <RequestViewDialog scope="clips" clipIds={[c.id]} onClose={() => setAsking(false)} />}

      <h2 className="section-title">{t('library.clip.source')}</h2>
      <div className="card">
        <dl className="facts">
          <dt>{t('library.col.camera')}</dt>
          <dd className="mono">{c.device.serial}</dd>
          <dt>{t('library.col.officer')}</dt>
          <dd>{officerText(t, c)}</dd>
          <dt>{t('library.clip.name')}</dt>
          <dd className="mono break">{c.name}</dd>
          <dt>{t('library.clip.path')}</dt>
          <dd className="mono break">{c.originalPath}</dd>
          <dt>{t('library.clip.nameSays')}</dt>
          <dd>
            {c.nameSerial || c.nameBadge || c.nameSeq !== null
              ? t('library.clip.nameParts', { serial: c.nameSerial ?? '—', badge: c.nameBadge ?? '—', seq: c.nameSeq ?? '—' })
              : '—'}
          </dd>
          <dt>{t('library.col.kind')}</dt>
          <dd>{kindText(t, c.kind)}</dd>
          <dt>{t('library.col.size')}</dt>
          <dd>
            {sizeText(t, c.size)} <span className="muted">{t('size.bytes', { n: c.size.toLocaleString('en-US') })}</span>
          </dd>
          <dt>{t('library.col.duration')}</dt>
          <dd>{durationText(t, c.durationMs)}</dd>
          <dt>{t('library.clip.codecs')}</dt>
          <dd className="mono">{codecs}</dd>
          <dt>{t('library.clip.resolution')}</dt>
          <dd className="mono">{c.width && c.height ? `${c.width} × ${c.height}` : '—'}</dd>
        </dl>
      </div>

      <h2 className="section-title">{t('library.clip.times')}</h2>
      <div className="card">
        <dl className="facts">
          <dt>{t('library.clip.startCorrected')}</dt>
          <dd>{c.startAt === null ? t('library.noTime') : time(c.startAt)}</dd>
          <dt>{t('library.clip.startCamera')}</dt>
          <dd>
            {at(c.cameraStartAt)}
            {c.cameraStartText && <span className="muted mono"> {t('library.clip.cameraText', { text: c.cameraStartText })}</span>}
          </dd>
          <dt>{t('library.clip.skew')}</dt>
          <dd>
            {c.dock?.clockSkewMs === null || c.dock?.clockSkewMs === undefined ? t('library.clip.skewUnknown') : skewText(t, c.dock.clockSkewMs)}
            {c.clockWrong && <span className="tag tag-warn"> {t('library.clip.clockWrong')}</span>}
          </dd>
          <dt>{t('library.clip.embedded')}</dt>
          <dd>{at(c.embeddedCreatedAt)}</dd>
          <dt>{t('library.clip.mtime')}</dt>
          <dd>{at(c.mtimeMs)}</dd>
          <dt>{t('library.clip.committed')}</dt>
          <dd>{time(c.committedAt)}</dd>
        </dl>
      </div>

      <h2 className="section-title">{t('library.clip.integrity')}</h2>
      <div className="card">
        <dl className="facts">
          <dt>{t(`library.clip.hash.${c.hashAlgorithm}`)}</dt>
          <dd className="mono break">{c.hash}</dd>
          <dt>{t('library.clip.verification')}</dt>
          <dd>{has(`library.clip.verified.${c.verification}`) ? t(`library.clip.verified.${c.verification}`) : c.verification}</dd>
          <dt>{t('library.col.damaged')}</dt>
          <dd>
            {c.damaged ? t('common.yes') : t('common.no')}
            {c.damageReason && <span className="muted"> — {c.damageReason}</span>}
          </dd>
        </dl>
      </div>

      <h2 className="section-title">{t('library.clip.custody')}</h2>
      <div className="card">
        <dl className="facts">
          <dt>{t('library.clip.dock')}</dt>
          <dd>{c.dock ? t('library.clip.dockSpan', { from: time(c.dock.attachedAt), to: at(c.dock.finishedAt) }) : '—'}</dd>
          <dt>{t('library.clip.cameraClock')}</dt>
          <dd>{c.dock?.cameraClockText ?? '—'}</dd>
          <dt>{t('library.clip.checkout')}</dt>
          <dd>
            {c.checkout
              ? t('library.clip.checkoutLine', {
                  id: c.checkout.id,
                  at: time(c.checkout.checkedOutAt),
                  who: c.checkout.officer ? t('common.personRef', { name: c.checkout.officer.name, badge: c.checkout.officer.badge }) : '—',
                  status: t(`checkoutStatus.${c.checkout.status}`),
                })
              : t('library.clip.noCheckout')}
          </dd>
          <dt>{t('library.workType')}</dt>
          <dd>
            {c.workType ? t(`workType.${c.workType}`) : '—'}
            {c.workType && <span className="muted"> {t(c.workTypeOverridden ? 'library.clip.workTypeSet' : 'library.clip.workTypeFromCheckout')}</span>}
          </dd>
        </dl>
      </div>

      <h2 className="section-title">{t('library.clip.classification')}</h2>
      <div className="card">
        <dl className="facts">
          <dt>{t('library.col.important')}</dt>
          <dd>{c.important ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('library.clip.ownLevel')}</dt>
          <dd>{levelText(t, c.ownConfidentiality)}</dd>
          <dt>{t('library.clip.effectiveLevel')}</dt>
          <dd>{levelText(t, c.confidentiality)}</dd>
          <dt>{t('fields.note')}</dt>
          <dd className="break">{c.note ?? '—'}</dd>
          <dt>{t('library.clip.cases')}</dt>
          <dd>
            {c.cases.length === 0 ? (
              t('library.clip.noCases')
            ) : (
              <ul className="plain-list">
                {c.cases.map((k) => (
                  <li key={k.id}>
                    <a className="table-link" href={href({ screen: 'library', query: `case=${k.id}` })}>
                      {k.caseNo}
                    </a>{' '}
                    {k.cause}
                    {k.confidentiality !== 'normal' && <span className="muted"> （{levelText(t, k.confidentiality)}）</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        {classify && <ClassifyPanel clip={c} onChanged={reload} onHidden={onHidden} />}
      </div>

      {/* 第十七、二十条: the evidence discs this recording went out on, for who reads the export register. */}
      {can('export.register') && <ClipExports clip={c} />}

      <ClipHistory clipId={c.id} entries={c.history.entries} next={c.history.next} />
    </>
  );
}
