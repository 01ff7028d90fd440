// 查阅申请 (第十八、十九条): one's own requests and where each stands, and for
// the approver (支队主要负责人) the requests of others that wait for a decision.
// The core sends no event of its own for viewing; every decision is an audit
// row, so the lists follow audit.appended (nothing polls).
import { useState } from 'react';
import type { ViewRequest } from '../../../shared/viewing.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { useI18n } from '../../i18n/i18n.js';
import { ApproveDialog, RefuseDialog } from './DecideDialogs.js';
import { RequestTable } from './RequestTable.js';
import { personText } from './words.js';

const REFRESH = ['audit.appended'] as const;
const PAGE = 50;
/** Pending requests are few (each waits for one person); one long page holds them. */
const PENDING_LIMIT = 500;

type Deciding = { request: ViewRequest; approve: boolean } | null;

export function RequestsScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="page">
      <h1 className="screen-title">{t('viewing.requests.title')}</h1>
      <p className="lead">{t('viewing.requests.intro')}</p>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {can('viewing.approve') && <PendingForMe onNotice={setNotice} />}
      <MyRequests onNotice={setNotice} />
    </section>
  );
}

/** The approver's inbox: others' pending requests (their own wait for another approver). */
function PendingForMe({ onNotice }: { onNotice(text: string): void }) {
  const { t } = useI18n();
  const time = useStationTime();
  const { session } = useSession();
  const [deciding, setDeciding] = useState<Deciding>(null);
  const list = useQuery('viewing.requests', { state: 'pending', limit: PENDING_LIMIT }, { refreshOn: REFRESH });
  const others = list.result?.ok ? list.result.value.requests.filter((r) => r.requester.id !== session.person.id) : [];
  return (
    <section className="card" aria-labelledby="viewing-pending">
      <h2 id="viewing-pending" className="section-title">
        {t('viewing.requests.pending', { n: others.length })}
      </h2>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && (
        <RequestTable
          label={t('viewing.requests.pendingLabel')}
          requests={others}
          empty={t('viewing.requests.pendingEmpty')}
          showRequester
          action={(r) => (
            <div className="row-actions">
              <button type="button" className="btn btn-small btn-primary nowrap" onClick={() => setDeciding({ request: r, approve: true })}>
                {t('viewing.approve')}
              </button>
              <button type="button" className="btn btn-small btn-danger-outline nowrap" onClick={() => setDeciding({ request: r, approve: false })}>
                {t('viewing.refuse')}
              </button>
            </div>
          )}
        />
      )}
      {deciding?.approve && (
        <ApproveDialog
          request={deciding.request}
          onClose={() => setDeciding(null)}
          onDone={({ request, grant }) => {
            setDeciding(null);
            onNotice(t('viewing.requests.approved', { who: personText(t, request.requester), grant: grant.id, until: time(grant.expiresAt) }));
          }}
        />
      )}
      {deciding && !deciding.approve && (
        <RefuseDialog
          request={deciding.request}
          onClose={() => setDeciding(null)}
          onDone={(r) => {
            setDeciding(null);
            onNotice(t('viewing.requests.refused', { who: personText(t, r.requester) }));
          }}
        />
      )}
    </section>
  );
}

function MyRequests({ onNotice }: { onNotice(text: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { session } = useSession();
  const pages = useCursorPages<number>();
  const [withdrawing, setWithdrawing] = useState<ViewRequest | null>(null);
  const list = useQuery('viewing.requests', { mine: true, limit: PAGE, ...(pages.before === undefined ? {} : { beforeId: pages.before }) }, { refreshOn: REFRESH });
  // The grants the approvals made, to say until when each runs.
  const grants = useQuery('viewing.grants', { granteeId: session.person.id, limit: 500 }, { refreshOn: REFRESH });
  const byId = new Map((grants.result?.ok ? grants.result.value.grants : []).map((g) => [g.id, g]));
  const requests = list.result?.ok ? list.result.value.requests : [];
  return (
    <section aria-labelledby="viewing-mine">
      <h2 id="viewing-mine" className="section-title">
        {t('viewing.requests.mine')}
      </h2>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && (
        <RequestTable
          label={t('viewing.requests.mine')}
          requests={requests}
          empty={t('viewing.requests.mineEmpty')}
          showRequester={false}
          grants={byId}
          // Only a pending request can be taken back: without one there is no action column.
          action={
            requests.some((r) => r.state === 'pending')
              ? (r) =>
                  r.state === 'pending' ? (
                    <button type="button" className="btn btn-small btn-secondary nowrap" onClick={() => setWithdrawing(r)}>
                      {t('viewing.withdraw')}
                    </button>
                  ) : null
              : undefined
          }
        />
      )}
      <Pager pages={pages} olderFrom={requests.length === PAGE ? requests.at(-1)?.id : undefined} newerLabel={t('viewing.newer')} olderLabel={t('viewing.older')} />
      {withdrawing && (
        <ConfirmDialog
          title={t('viewing.withdrawTitle')}
          confirmLabel={t('viewing.withdraw')}
          onCancel={() => setWithdrawing(null)}
          onConfirm={async () => {
            const r = await client.call('viewing.withdraw', { id: withdrawing.id });
            if (!r.ok) return r.error;
            setWithdrawing(null);
            onNotice(t('viewing.requests.withdrawn', { id: r.value.id }));
            return null;
          }}
        >
          {t('viewing.withdrawText', { id: withdrawing.id })}
        </ConfirmDialog>
      )}
    </section>
  );
}
