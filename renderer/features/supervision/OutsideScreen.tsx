// 第三条: the cameras are for enforcement work only. Footage a camera brought
// to the dock that no checkout covers (recorded while nobody had it out, or
// outside its checkout's time) is flagged by the core; 综合处 looks at it and
// writes down what it found (第六条 网上督察). Everyone who sees custody sees
// the list; only custody.supervise marks an entry reviewed.
import { useMemo, useState } from 'react';
import type { DeviceRef, OutsideRecording } from '../../../shared/custody.js';
import { useSession, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { ReviewOutsideDialog } from './ReviewOutsideDialog.js';
import { clipSpan } from './span.js';

const PAGE_SIZE = 50;

export function OutsideScreen() {
  const { t } = useI18n();
  const time = useStationTime();
  const { can } = useSession();
  const [reviewed, setReviewed] = useState(false);
  const pages = useCursorPages<number>();
  const [reviewing, setReviewing] = useState<OutsideRecording | null>(null);
  // The serial just reviewed, not a sentence: the notice follows a change of language.
  const [reviewedSerial, setReviewedSerial] = useState<string | null>(null);
  const beforeId = pages.before;
  const page = useQuery('custody.outsideRecordings', { reviewed, beforeId, limit: PAGE_SIZE }, { refreshOn: ['custody.outsideRecording'] });
  // The keeper (定人管理) answers for the camera: named under the officer when someone else recorded.
  const cameras = useQuery('custody.cameras', { includeRetired: true }, { refreshOn: ['devices.changed'] });
  const keeperOf = useMemo(() => {
    const map = new Map<number, DeviceRef['keeper']>();
    if (cameras.result?.ok) for (const c of cameras.result.value.cameras) map.set(c.device.id, c.device.keeper);
    return map;
  }, [cameras.result]);
  const maySupervise = can('custody.supervise');
  const mayOpenDevice = can('devices.view');
  const records = page.result?.ok ? page.result.value : [];
  const last = records[records.length - 1];
  const olderFrom = records.length === PAGE_SIZE ? last?.id : undefined;
  const showAction = maySupervise && !reviewed;

  const show = (r: boolean) => {
    setReviewed(r);
    pages.reset();
  };

  return (
    <section className="page">
      <h1 className="screen-title">{t('outside.title')}</h1>
      <p className="lead">{t('outside.intro')}</p>
      {reviewedSerial && (
        <p className="alert alert-ok" role="status">
          {t('outside.done', { serial: reviewedSerial })}
        </p>
      )}
      {!maySupervise && <p className="muted">{t('outside.reviewByGeneralOffice')}</p>}
      <div className="segmented filter-segmented" role="group" aria-label={t('outside.filter')}>
        <button type="button" className="segmented-option" aria-pressed={!reviewed} onClick={() => show(false)}>
          {t('outside.showPending')}
        </button>
        <button type="button" className="segmented-option" aria-pressed={reviewed} onClick={() => show(true)}>
          {t('outside.showReviewed')}
        </button>
      </div>
      {page.result && !page.result.ok && <ErrorAlert error={page.result.error} />}
      {page.result?.ok && records.length === 0 && <p className="empty">{reviewed ? t('outside.noneReviewed') : t('outside.nonePending')}</p>}
      {records.length > 0 && (
        <TableWrap label={reviewed ? t('outside.reviewedTable') : t('outside.pendingTable')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('fields.serial')}</th>
                <th scope="col">{t('outside.officerCol')}</th>
                <th scope="col">{t('outside.kindCol')}</th>
                <th scope="col">{t('outside.clipsCol')}</th>
                <th scope="col">{t('outside.dockedCol')}</th>
                <th scope="col">{reviewed ? t('outside.reviewCol') : t('fields.status')}</th>
                {showAction && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {records.map((r) => {
                const keeper = keeperOf.get(r.device.id);
                const span = clipSpan(r.clips);
                return (
                  <tr key={r.id}>
                    <td className="nowrap">
                      {mayOpenDevice ? (
                        <a className="table-link mono" href={href({ screen: 'device', id: r.device.id })}>
                          {r.device.serial}
                        </a>
                      ) : (
                        <span className="mono">{r.device.serial}</span>
                      )}
                    </td>
                    <td>
                      {r.officer ? t('common.personRef', { name: r.officer.name, badge: r.officer.badge }) : t('outside.noOfficer')}
                      {keeper && keeper.id !== r.officer?.id && (
                        <div className="muted">{t('outside.keeperIs', { person: t('common.personRef', { name: keeper.name, badge: keeper.badge }) })}</div>
                      )}
                    </td>
                    <td className="outside-kind">
                      {t(`outside.kind.${r.kind}`)}
                      {r.checkoutId !== null && <div className="muted">{t('outside.checkout', { id: r.checkoutId })}</div>}
                    </td>
                    <td>
                      {t('outside.clipCount', { n: r.clips.length })}
                      {span && (
                        <div className="muted">
                          <span className="nowrap">{time(span.from)}</span>
                          {span.to !== span.from && (
                            <>
                              {' '}
                              {t('outside.spanTo')} <span className="nowrap">{time(span.to)}</span>
                            </>
                          )}
                        </div>
                      )}
                    </td>
                    <td className="nowrap">{time(r.dockedAt)}</td>
                    <td className="outside-review">
                      {r.reviewedAt === null ? (
                        <span className="tag tag-warn">{t('outside.pending')}</span>
                      ) : (
                        <>
                          <span className="tag tag-ok">{t('outside.reviewed')}</span>
                          <div className="muted">{t('outside.reviewedBy', { at: time(r.reviewedAt), by: r.reviewedBy ?? '' })}</div>
                          <div className="review-note">{r.reviewNote}</div>
                        </>
                      )}
                    </td>
                    {showAction && (
                      <td className="outside-action">
                        {r.reviewedAt === null && (
                          <button type="button" className="btn btn-primary" onClick={() => setReviewing(r)}>
                            {t('outside.reviewButton')}
                            <span className="visually-hidden"> {r.device.serial}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager pages={pages} olderFrom={olderFrom} newerLabel={t('outside.newer')} olderLabel={t('outside.older')} />
      {reviewing && (
        <ReviewOutsideDialog
          record={reviewing}
          keeper={keeperOf.get(reviewing.device.id) ?? null}
          onClose={() => setReviewing(null)}
          onDone={(r) => {
            setReviewing(null);
            setReviewedSerial(r.device.serial);
          }}
        />
      )}
    </section>
  );
}
