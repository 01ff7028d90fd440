// View requests as a table: when, who, why and for what, which recordings,
// for how long, and where the request stands (the decision, the grant it made).
import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { ViewGrant, ViewRequest } from '../../../shared/viewing.js';
import { useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { grantStatus, grantStatusTone, hoursText, personText, purposeText, stateTone } from './words.js';

/** Which recordings a request covers: each clip a link to its page, or the case or checkout. */
export function RequestScope({ request: r }: { request: Pick<ViewRequest, 'scope' | 'clipIds' | 'caseId' | 'caseNo' | 'checkoutId'> }) {
  const { t } = useI18n();
  if (r.scope === 'case' && r.caseId !== null) {
    return (
      <a className="table-link" href={href({ screen: 'library', query: `case=${r.caseId}` })}>
        {t('viewing.caseLine', { caseNo: r.caseNo ?? `#${r.caseId}` })}
      </a>
    );
  }
  if (r.scope === 'checkout' && r.checkoutId !== null) return <>{t('viewing.checkoutLine', { id: r.checkoutId })}</>;
  // A request may name up to 500 clips: the first few are links, the rest a count.
  const shown = r.clipIds.slice(0, CLIP_LINKS);
  return (
    <>
      {shown.map((id, i) => (
        <Fragment key={id}>
          {i > 0 && t('common.listSeparator')}
          <a className="table-link nowrap" href={href({ screen: 'clip', id })}>
            {t('viewing.clipLink', { id })}
          </a>
        </Fragment>
      ))}
      {r.clipIds.length > shown.length && <span className="muted"> {t('viewing.moreClips', { n: r.clipIds.length - shown.length })}</span>}
    </>
  );
}

const CLIP_LINKS = 12;

export function RequestTable({
  label,
  requests,
  empty,
  showRequester,
  grants,
  action,
}: {
  label: string;
  requests: ViewRequest[];
  empty: string;
  /** The approver's list names who asked; one's own list does not. */
  showRequester: boolean;
  /** The grants approvals made, by id, to show until when they run. */
  grants?: ReadonlyMap<number, ViewGrant>;
  action?: (r: ViewRequest) => ReactNode;
}) {
  const { t } = useI18n();
  const time = useStationTime();
  if (requests.length === 0) return <p className="muted">{empty}</p>;
  return (
    <TableWrap label={label}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('viewing.col.requestedAt')}</th>
            {showRequester && <th scope="col">{t('viewing.col.requester')}</th>}
            <th scope="col">{t('viewing.col.purpose')}</th>
            <th scope="col">{t('viewing.col.reason')}</th>
            <th scope="col">{t('viewing.col.clips')}</th>
            <th scope="col">{t('viewing.col.hours')}</th>
            <th scope="col">{t('fields.status')}</th>
            {action && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id} data-request={r.id}>
              <td className="nowrap">
                {time(r.requestedAt)}
                <div className="muted">{t('viewing.requestNo', { id: r.id })}</div>
              </td>
              {showRequester && <td className="nowrap">{personText(t, r.requester)}</td>}
              <td className="nowrap">{purposeText(t, r.purpose)}</td>
              <td className="break">{r.reason}</td>
              <td>
                <RequestScope request={r} />
              </td>
              <td className="nowrap">{hoursText(t, r.hours)}</td>
              <td>
                <Decision request={r} grant={r.grantId === null ? undefined : grants?.get(r.grantId)} />
              </td>
              {action && <td>{action(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Decision({ request: r, grant }: { request: ViewRequest; grant: ViewGrant | undefined }) {
  const { t } = useI18n();
  const time = useStationTime();
  return (
    <>
      <span className={`tag ${stateTone(r.state)}`}>{t(`viewing.state.${r.state}`)}</span>
      {r.decidedAt !== null && r.state !== 'withdrawn' && <div className="muted nowrap">{t('viewing.decidedBy', { who: r.decidedBy ?? '—', time: time(r.decidedAt) })}</div>}
      {r.decisionNote && <div className="break">{t(r.state === 'refused' ? 'viewing.refusedBecause' : 'viewing.approverNote', { note: r.decisionNote })}</div>}
      {r.grantId !== null && (
        <div className="nowrap">
          {t('viewing.grantNo', { id: r.grantId })}
          {grant && (
            <>
              {' · '}
              {t('viewing.until', { time: time(grant.expiresAt) })}{' '}
              <span className={`tag ${grantStatusTone[grantStatus(grant)]}`}>{t(`viewing.grantStatus.${grantStatus(grant)}`)}</span>
            </>
          )}
        </div>
      )}
    </>
  );
}
