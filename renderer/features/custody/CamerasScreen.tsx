// The camera status list: every camera, whether it can go out, who has it
// since when, whether it is on the dock now, and its open faults.
import { useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { statusTag } from '../devices/status.js';

export function CamerasScreen() {
  const { t } = useI18n();
  const time = useStationTime();
  const cameras = useQuery('custody.cameras', {}, {
    refreshOn: ['custody.changed', 'devices.changed', 'faults.changed', 'dock.identified', 'dock.changed', 'dock.detached'],
  });
  return (
    <section className="page">
      <h1 className="screen-title">{t('cameras.title')}</h1>
      <p className="lead">{t('cameras.intro')}</p>
      {cameras.result && !cameras.result.ok && <ErrorAlert error={cameras.result.error} />}
      {cameras.result?.ok && (
        <TableWrap label={t('cameras.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('fields.serial')}</th>
                <th scope="col">{t('fields.keeper')}</th>
                <th scope="col">{t('fields.status')}</th>
                <th scope="col">{t('cameras.where')}</th>
                <th scope="col">{t('cameras.lastDock')}</th>
              </tr>
            </thead>
            <tbody>
              {cameras.result.value.cameras.map((c) => (
                <tr key={c.device.id}>
                  <td>
                    <a className="table-link mono" href={href({ screen: 'device', id: c.device.id })}>
                      {c.device.serial}
                    </a>
                  </td>
                  <td>{c.device.keeper ? t('common.personRef', { name: c.device.keeper.name, badge: c.device.keeper.badge }) : '—'}</td>
                  <td>
                    <span className={statusTag[c.device.status]}>{t(`deviceStatus.${c.device.status}`)}</span>{' '}
                    {c.available && <span className="tag tag-ok">{t('cameras.available')}</span>}
                    {c.openFaults.map((f) => (
                      <span key={f.id} className="tag tag-bad" title={f.description}>
                        {t('cameras.fault', { description: f.description })}
                      </span>
                    ))}
                  </td>
                  <td>
                    {c.checkout && (
                      <div>
                        {t('cameras.outWith', {
                          officer: t('common.personRef', { name: c.checkout.officer.name, badge: c.checkout.officer.badge }),
                          since: time(c.checkout.checkedOutAt),
                        })}
                        {c.checkout.overdue && <span className="tag tag-bad">{t('custody.overdue')}</span>}
                      </div>
                    )}
                    {c.dock && <div className="tag tag-warn">{t('cameras.docked', { since: time(c.dock.attachedAt) })}</div>}
                    {!c.checkout && !c.dock && <span className="muted">{t('cameras.atStation')}</span>}
                  </td>
                  <td className="nowrap">
                    {c.lastDock ? (
                      <>
                        {time(c.lastDock.at)}
                        {c.lastDock.batteryPercent !== null && <span className="muted"> · {t('cameras.battery', { n: c.lastDock.batteryPercent })}</span>}
                      </>
                    ) : (
                      <span className="muted">{t('cameras.neverDocked')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
