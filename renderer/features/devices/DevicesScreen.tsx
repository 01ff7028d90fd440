// 执法记录仪登记 (第六条): every camera of the unit, its fixed keeper and status.
import { useState } from 'react';
import type { DeviceStatus } from '../../../shared/domain.js';
import { deviceStatuses } from '../../../shared/domain.js';
import { useSession, useStationTime } from '../../app/context.js';
import { href, navigate } from '../../app/route.js';
import { useDebounced, useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextField } from '../../app/ui/Field.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { RegisterDeviceDialog } from './RegisterDeviceDialog.js';
import { statusTag } from './status.js';

export function DevicesScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const time = useStationTime();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<DeviceStatus | ''>('');
  const [registering, setRegistering] = useState(false);
  const search = useDebounced(query.trim());
  const devices = useQuery(
    'devices.list',
    { query: search || undefined, status: status || undefined },
    { refreshOn: ['devices.changed', 'people.changed'] },
  );

  return (
    <section className="page">
      <div className="page-head">
        <h1 className="screen-title">{t('devices.title')}</h1>
        {can('devices.manage') && (
          <button type="button" className="btn btn-primary" onClick={() => setRegistering(true)}>
            {t('devices.registerButton')}
          </button>
        )}
      </div>
      <p className="muted">{t('devices.intro')}</p>
      <div className="toolbar">
        <TextField
          className="toolbar-search"
          label={t('devices.search')}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
        />
        <SelectField label={t('devices.statusFilter')} value={status} onChange={(e) => setStatus(e.target.value as DeviceStatus | '')}>
          <option value="">{t('devices.allStatuses')}</option>
          {deviceStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`deviceStatus.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {devices.result && !devices.result.ok && <ErrorAlert error={devices.result.error} />}
      {devices.result?.ok && (
        <>
          <p className="muted" role="status">
            {t('devices.count', { n: devices.result.value.length })}
          </p>
          <TableWrap label={t('devices.title')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('fields.serial')}</th>
                  <th scope="col">{t('fields.model')}</th>
                  <th scope="col">{t('fields.keeper')}</th>
                  <th scope="col">{t('fields.status')}</th>
                  <th scope="col">{t('devices.registeredAt')}</th>
                </tr>
              </thead>
              <tbody>
                {devices.result.value.map((d) => (
                  <tr key={d.id} className={d.status === 'retired' ? 'row-muted' : undefined}>
                    <td>
                      <a className="table-link mono" href={href({ screen: 'device', id: d.id })}>
                        {d.serial}
                      </a>
                    </td>
                    <td>{d.model ?? '—'}</td>
                    <td>{d.keeper ? t('common.personRef', { name: d.keeper.name, badge: d.keeper.badge }) : <span className="muted">{t('devices.noKeeper')}</span>}</td>
                    <td>
                      <span className={statusTag[d.status]}>{t(`deviceStatus.${d.status}`)}</span>
                    </td>
                    <td className="nowrap">{time(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {devices.result.value.length === 0 && <p className="empty">{t('devices.none')}</p>}
        </>
      )}
      {registering && (
        <RegisterDeviceDialog onClose={() => setRegistering(false)} onRegistered={(d) => navigate({ screen: 'device', id: d.id })} />
      )}
    </section>
  );
}
