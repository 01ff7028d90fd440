// Four eyes on 系统管理员, 综合处 and 部门负责人 (issue 19): the grants that wait for a second
// person, with confirm and refuse for those who may decide them. On the home screen it shows
// only the grants the person logged in may decide, so a head sees them right after login.
import { useState } from 'react';
import type { RoleGrant } from '../../../shared/domain.js';
import { useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

type Decision = { grant: RoleGrant; confirm: boolean } | null;

export function RoleGrantsPanel({ onlyMine = false }: { onlyMine?: boolean }) {
  const { t } = useI18n();
  const { client } = useStation();
  const time = useStationTime();
  const [deciding, setDeciding] = useState<Decision>(null);
  const grants = useQuery('people.grants', { open: true }, { refreshOn: ['people.changed'] });
  if (grants.result && !grants.result.ok) return <ErrorAlert error={grants.result.error} />;
  const all = grants.result?.ok ? grants.result.value : [];
  const shown = onlyMine ? all.filter((g) => g.mayDecide) : all;
  if (shown.length === 0) return null;

  return (
    <section className="card grants" aria-labelledby="grants-title">
      <h2 id="grants-title" className="section-title">
        {onlyMine ? t('grants.mineTitle', { n: shown.length }) : t('grants.title', { n: shown.length })}
      </h2>
      <p className="muted">{t('grants.intro')}</p>
      <ul className="plain-list grant-list">
        {shown.map((g) => (
          <li key={g.id} className="grant-item" data-testid={`grant-${g.id}`}>
            <div>
              <strong>{t('grants.line', { name: g.person.name, badge: g.person.badge, role: t(`roles.${g.role}`) })}</strong>{' '}
              <span className={`tag ${g.state === 'pending' ? 'tag-warn' : 'tag-off'}`}>{t(`grants.state.${g.state}`)}</span>
              <div className="muted">{t('grants.requested', { who: g.requestedBy, time: time(g.requestedAt) })}</div>
            </div>
            {g.mayDecide ? (
              <div className="row-actions">
                <button type="button" className="btn btn-small btn-primary" onClick={() => setDeciding({ grant: g, confirm: true })}>
                  {t('grants.confirm')}
                </button>
                <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setDeciding({ grant: g, confirm: false })}>
                  {t('grants.refuse')}
                </button>
              </div>
            ) : (
              <span className="muted">{t('grants.notYours')}</span>
            )}
          </li>
        ))}
      </ul>
      {deciding && (
        <ConfirmDialog
          title={deciding.confirm ? t('grants.confirmTitle') : t('grants.refuseTitle')}
          confirmLabel={deciding.confirm ? t('grants.confirm') : t('grants.refuse')}
          tone={deciding.confirm ? 'normal' : 'danger'}
          reason={deciding.confirm ? undefined : { label: t('grants.reason'), hint: t('grants.reasonHint') }}
          onCancel={() => setDeciding(null)}
          onConfirm={async (reason) => {
            const id = deciding.grant.id;
            const r = deciding.confirm ? await client.call('people.confirmGrant', { id }) : await client.call('people.refuseGrant', { id, reason });
            if (!r.ok) return r.error;
            setDeciding(null);
            return null;
          }}
        >
          {t(deciding.confirm ? `grants.confirmText.${deciding.grant.state}` : `grants.refuseText.${deciding.grant.state}`, {
            name: deciding.grant.person.name,
            badge: deciding.grant.person.badge,
            role: t(`roles.${deciding.grant.role}`),
            who: deciding.grant.requestedBy,
          })}
        </ConfirmDialog>
      )}
    </section>
  );
}
