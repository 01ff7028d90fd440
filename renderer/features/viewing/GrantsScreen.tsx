// 查阅授权: the grants in force and past, each from an approved request or a
// head's standing grant (长期授权), with who may view what, for what and until
// when. The approver gives standing grants and revokes any grant; playback
// under a revoked grant stops at its next byte range (the core checks each).
import { useState } from 'react';
import type { ViewGrant } from '../../../shared/viewing.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { RequestScope } from './RequestTable.js';
import { StandingGrantForm } from './StandingGrantForm.js';
import { grantStatus, grantStatusTone, personText, purposeText } from './words.js';

const REFRESH = ['audit.appended'] as const;
const PAGE = 50;
type Show = 'active' | 'all';

export function GrantsScreen() {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const time = useStationTime();
  const approver = can('viewing.approve');
  const [granting, setGranting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [show, setShow] = useState<Show>('active');
  const [revoking, setRevoking] = useState<ViewGrant | null>(null);
  const pages = useCursorPages<number>();
  const list = useQuery('viewing.grants', { ...(show === 'active' ? { active: true } : {}), limit: PAGE, ...(pages.before === undefined ? {} : { beforeId: pages.before }) }, { refreshOn: REFRESH });
  const grants = list.result?.ok ? list.result.value.grants : [];

  return (
    <section className="page">
      <div className="page-head">
        <h1 className="screen-title">{t('viewing.grants.title')}</h1>
        {approver && !granting && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setNotice(null);
              setGranting(true);
            }}
          >
            {t('viewing.grants.new')}
          </button>
        )}
      </div>
      <p className="lead">{t(approver ? 'viewing.grants.introApprover' : 'viewing.grants.intro')}</p>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {granting && (
        <StandingGrantForm
          onCancel={() => setGranting(false)}
          onGranted={(g) => {
            setGranting(false);
            setNotice(t('viewing.grants.granted', { who: personText(t, g.grantee), id: g.id, until: time(g.expiresAt) }));
          }}
        />
      )}
      <h2 className="section-title">{t('viewing.grants.list')}</h2>
      <div className="segmented filter-segmented" role="group" aria-label={t('viewing.grants.show')}>
        {(['active', 'all'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className="segmented-option"
            aria-pressed={show === s}
            onClick={() => {
              setShow(s);
              pages.reset();
            }}
          >
            {t(`viewing.grants.shows.${s}`)}
          </button>
        ))}
      </div>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && <GrantTable grants={grants} onRevoke={approver ? setRevoking : undefined} />}
      <Pager pages={pages} olderFrom={grants.length === PAGE ? grants.at(-1)?.id : undefined} newerLabel={t('viewing.newer')} olderLabel={t('viewing.older')} />
      {revoking && (
        <ConfirmDialog
          title={t('viewing.grants.revokeTitle')}
          confirmLabel={t('viewing.grants.revoke')}
          tone="danger"
          reason={{ label: t('viewing.grants.revokeReason'), hint: t('viewing.grants.revokeReasonHint') }}
          onCancel={() => setRevoking(null)}
          onConfirm={async (reason) => {
            const r = await client.call('viewing.revoke', { id: revoking.id, reason });
            if (!r.ok) return r.error;
            setRevoking(null);
            setNotice(t('viewing.grants.revoked', { id: r.value.id, who: personText(t, r.value.grantee) }));
            return null;
          }}
        >
          {t('viewing.grants.revokeText', { id: revoking.id, who: personText(t, revoking.grantee) })}
        </ConfirmDialog>
      )}
    </section>
  );
}

function GrantTable({ grants, onRevoke }: { grants: ViewGrant[]; onRevoke: ((g: ViewGrant) => void) | undefined }) {
  const { t } = useI18n();
  const time = useStationTime();
  if (grants.length === 0) return <p className="muted">{t('viewing.grants.empty')}</p>;
  const revocable = onRevoke !== undefined && grants.some((g) => g.active);
  return (
    <TableWrap label={t('viewing.grants.list')}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('viewing.col.grant')}</th>
            <th scope="col">{t('viewing.col.grantee')}</th>
            <th scope="col">{t('viewing.col.clips')}</th>
            <th scope="col">{t('viewing.col.purposeReason')}</th>
            <th scope="col">{t('viewing.col.approver')}</th>
            <th scope="col">{t('viewing.col.expires')}</th>
            <th scope="col">{t('fields.status')}</th>
            {revocable && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => {
            const status = grantStatus(g);
            return (
              <tr key={g.id} data-grant={g.id}>
                <td className="nowrap">
                  {t('viewing.grantNo', { id: g.id })}
                  <div className="muted">{g.requestId === null ? t('viewing.grants.standingTag') : t('viewing.requestNo', { id: g.requestId })}</div>
                </td>
                <td className="nowrap">{personText(t, g.grantee)}</td>
                <td>{g.scope === 'all' ? t('viewing.scope.all') : <RequestScope request={{ scope: g.scope, clipIds: g.clipIds, caseId: g.caseId, caseNo: null, checkoutId: g.checkoutId }} />}</td>
                {/* One cell for both: the reason is free text and needs the width a column of its own would not get. */}
                <td className="break">
                  <strong>{purposeText(t, g.purpose)}</strong>
                  <div>{g.reason}</div>
                </td>
                <td>
                  {g.grantedBy}
                  <div className="muted nowrap">{time(g.grantedAt)}</div>
                </td>
                <td className="nowrap">{time(g.expiresAt)}</td>
                <td>
                  <span className={`tag ${grantStatusTone[status]}`}>{t(`viewing.grantStatus.${status}`)}</span>
                  {g.revokedAt !== null && (
                    <div className="muted">
                      {t('viewing.grants.revokedBy', { who: g.revokedBy ?? '—', time: time(g.revokedAt) })}
                      {g.revokeReason && <div className="break">{g.revokeReason}</div>}
                    </div>
                  )}
                </td>
                {revocable && (
                  <td>
                    {g.active && (
                      <button type="button" className="btn btn-small btn-danger-outline nowrap" onClick={() => onRevoke?.(g)}>
                        {t('viewing.grants.revoke')}
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
  );
}
