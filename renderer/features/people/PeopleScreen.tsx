// 人员管理: everyone who may use the station, their roles and account state.
import { useState } from 'react';
import type { Person } from '../../../shared/domain.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useDebounced, useQuery } from '../../app/useQuery.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { OneTimePinDialog } from './OneTimePinDialog.js';
import { PersonFormDialog } from './PersonFormDialog.js';
import { RoleGrantsPanel } from './RoleGrants.js';

/** A lockout that has run out stays in the row until the next login; show only a live one. */
function isLockedNow(p: Person): boolean {
  return p.lockedUntil !== null && p.lockedUntil > Date.now();
}

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; person: Person }
  | { kind: 'pin'; person: Person; pin: string; reset: boolean }
  | { kind: 'setActive'; person: Person; active: boolean }
  | { kind: 'resetPin'; person: Person }
  | null;

export function PeopleScreen() {
  const { t } = useI18n();
  const { client } = useStation();
  const { can, session } = useSession();
  const time = useStationTime();
  const [query, setQuery] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const search = useDebounced(query.trim());
  const people = useQuery('people.list', { query: search || undefined, includeInactive }, { refreshOn: ['people.changed'] });
  const manage = can('people.manage');
  // Roles asked for and waiting for a second person, shown beside the roles held.
  const grants = useQuery('people.grants', { open: true }, { refreshOn: ['people.changed'] });
  const pendingOf = (id: number) => (grants.result?.ok ? grants.result.value.filter((g) => g.person.id === id && g.state === 'pending') : []);

  return (
    <section className="page">
      <div className="page-head">
        <h1 className="screen-title">{t('people.title')}</h1>
        {manage && (
          <button type="button" className="btn btn-primary" onClick={() => setOpen({ kind: 'create' })}>
            {t('people.create')}
          </button>
        )}
      </div>
      <div className="toolbar">
        <TextField
          className="toolbar-search"
          label={t('people.search')}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
        />
        <label className="check-inline">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          {t('people.includeInactive')}
        </label>
      </div>
      <RoleGrantsPanel />
      {people.result && !people.result.ok && <ErrorAlert error={people.result.error} />}
      {people.result?.ok && (
        <>
          <p className="muted" role="status">
            {t('people.count', { n: people.result.value.length })}
          </p>
          <TableWrap label={t('people.title')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('fields.badge')}</th>
                  <th scope="col">{t('fields.name')}</th>
                  <th scope="col">{t('fields.unit')}</th>
                  <th scope="col">{t('fields.roles')}</th>
                  <th scope="col">{t('people.state')}</th>
                  {manage && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {people.result.value.map((p) => (
                  <tr key={p.id} className={p.active ? undefined : 'row-muted'}>
                    <td className="mono">{p.badge}</td>
                    <td>{p.name}</td>
                    <td>{p.unit ?? '—'}</td>
                    <td>
                      {p.roles.map((r) => t(`roles.${r}`)).join(t('common.listSeparator'))}
                      {pendingOf(p.id).map((g) => (
                        <span key={g.id} className="tag tag-warn tag-block">
                          {t('grants.pendingRole', { role: t(`roles.${g.role}`) })}
                        </span>
                      ))}
                    </td>
                    <td>
                      <span className={`tag ${p.active ? 'tag-ok' : 'tag-off'}`}>{p.active ? t('people.active') : t('people.inactive')}</span>
                      {p.mustChangePin && <span className="tag tag-warn">{t('people.mustChangePin')}</span>}
                      {isLockedNow(p) && p.lockedUntil !== null && (
                        <span className="tag tag-bad">{t('people.lockedUntil', { time: time(p.lockedUntil) })}</span>
                      )}
                    </td>
                    {manage && (
                      <td>
                        <div className="row-actions">
                          <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: 'edit', person: p })}>
                            {t('common.edit')}
                          </button>
                          <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: 'resetPin', person: p })}>
                            {t('people.resetPin')}
                          </button>
                          {p.id !== session.person.id && (
                            <button
                              type="button"
                              className={`btn btn-small${p.active ? ' btn-danger-outline' : ''}`}
                              onClick={() => setOpen({ kind: 'setActive', person: p, active: !p.active })}
                            >
                              {p.active ? t('people.deactivate') : t('people.activate')}
                            </button>
                          )}
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {people.result.value.length === 0 && <p className="empty">{t('people.none')}</p>}
        </>
      )}

      {open?.kind === 'create' && (
        <PersonFormDialog
          onClose={() => setOpen(null)}
          onCreated={(r) => setOpen({ kind: 'pin', person: r.person, pin: r.oneTimePin, reset: false })}
        />
      )}
      {open?.kind === 'edit' && <PersonFormDialog person={open.person} onClose={() => setOpen(null)} />}
      {open?.kind === 'pin' && <OneTimePinDialog person={open.person} pin={open.pin} reset={open.reset} onClose={() => setOpen(null)} />}
      {open?.kind === 'resetPin' && (
        <ConfirmDialog
          title={t('people.resetPinTitle')}
          confirmLabel={t('people.resetPin')}
          onCancel={() => setOpen(null)}
          onConfirm={async () => {
            const r = await client.call('people.resetPin', { id: open.person.id });
            if (!r.ok) return r.error;
            setOpen({ kind: 'pin', person: r.value.person, pin: r.value.oneTimePin, reset: true });
            return null;
          }}
        >
          {t('people.resetPinConfirm', { name: open.person.name, badge: open.person.badge })}
        </ConfirmDialog>
      )}
      {open?.kind === 'setActive' && (
        <ConfirmDialog
          title={open.active ? t('people.activateTitle') : t('people.deactivateTitle')}
          confirmLabel={open.active ? t('people.activate') : t('people.deactivate')}
          tone={open.active ? 'normal' : 'danger'}
          onCancel={() => setOpen(null)}
          onConfirm={async () => {
            const r = await client.call('people.setActive', { id: open.person.id, active: open.active });
            if (!r.ok) return r.error;
            setOpen(null);
            return null;
          }}
        >
          {open.active
            ? t('people.activateConfirm', { name: open.person.name, badge: open.person.badge })
            : t('people.deactivateConfirm', { name: open.person.name, badge: open.person.badge })}
        </ConfirmDialog>
      )}
    </section>
  );
}
