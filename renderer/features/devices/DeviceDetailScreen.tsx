// One camera: its registration, fixed keeper and the history of keepers, and
// the changes 综合处 makes over its life (keeper, service status, retirement).
import { useState } from 'react';
import type { DeviceDetail, DeviceStatus, PersonRef } from '../../../shared/domain.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField, TextField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockHistory } from '../board/DockHistory.js';
import { PersonPicker } from './PersonPicker.js';
import { statusTag } from './status.js';

type Open = 'keeper' | 'edit' | DeviceStatus | null;

export function DeviceDetailScreen({ id }: { id: number }) {
  const { t } = useI18n();
  const { can } = useSession();
  const time = useStationTime();
  const [open, setOpen] = useState<Open>(null);
  const device = useQuery('devices.get', { id }, { refreshOn: ['devices.changed', 'people.changed'] });
  const d = device.result?.ok ? device.result.value : null;
  const manage = can('devices.manage') && d !== null && d.status !== 'retired';

  return (
    <section className="page">
      <a className="back-link" href={href({ screen: 'devices' })}>
        ← {t('devices.detail.back')}
      </a>
      {device.result && !device.result.ok && <ErrorAlert error={device.result.error} />}
      {d && (
        <>
          <div className="page-head">
            <h1 className="screen-title">{t('devices.detail.title', { serial: d.serial })}</h1>
            <span className={`${statusTag[d.status]} tag-large`}>{t(`deviceStatus.${d.status}`)}</span>
          </div>
          <div className="card">
            <dl className="facts">
              <dt>{t('fields.serial')}</dt>
              <dd className="mono">{d.serial}</dd>
              <dt>{t('fields.model')}</dt>
              <dd>{d.model ?? '—'}</dd>
              <dt>{t('fields.keeper')}</dt>
              <dd>{d.keeper ? t('common.personRef', { name: d.keeper.name, badge: d.keeper.badge }) : t('devices.noKeeper')}</dd>
              <dt>{t('fields.status')}</dt>
              <dd>
                {t(`deviceStatus.${d.status}`)}
                {d.statusReason && <span className="muted"> — {d.statusReason}</span>}
              </dd>
              <dt>{t('fields.note')}</dt>
              <dd>{d.note ?? '—'}</dd>
              <dt>{t('devices.registeredAt')}</dt>
              <dd>{time(d.createdAt)}</dd>
              <dt>{t('devices.detail.updatedAt')}</dt>
              <dd>{time(d.updatedAt)}</dd>
            </dl>
            {d.status === 'retired' && <p className="alert alert-info">{t('devices.detail.retiredNote')}</p>}
            {can('library.search') && (
              <p>
                <a className="table-link" href={href({ screen: 'library', query: `camera=${d.id}` })}>
                  {t('devices.detail.recordings')}
                </a>
              </p>
            )}
            {manage && (
              <div className="button-row">
                <button type="button" className="btn btn-primary" onClick={() => setOpen('keeper')}>
                  {t('devices.detail.changeKeeper')}
                </button>
                <button type="button" className="btn btn-secondary" onClick={() => setOpen('edit')}>
                  {t('devices.detail.edit')}
                </button>
                {d.status === 'in_service' && (
                  <button type="button" className="btn btn-secondary" onClick={() => setOpen('out_of_service')}>
                    {t('devices.status.takeOut')}
                  </button>
                )}
                {d.status === 'out_of_service' && (
                  <button type="button" className="btn btn-secondary" onClick={() => setOpen('in_service')}>
                    {t('devices.status.return')}
                  </button>
                )}
                <button type="button" className="btn btn-danger-outline" onClick={() => setOpen('retired')}>
                  {t('devices.status.retire')}
                </button>
              </div>
            )}
          </div>

          <h2 className="section-title">{t('devices.detail.history')}</h2>
          {d.keeperHistory.length === 0 ? (
            <p className="empty">{t('devices.detail.noHistory')}</p>
          ) : (
            <TableWrap label={t('devices.detail.history')}>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('fields.keeper')}</th>
                    <th scope="col">{t('devices.detail.from')}</th>
                    <th scope="col">{t('devices.detail.to')}</th>
                    <th scope="col">{t('devices.detail.assignedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.keeperHistory.map((spell) => (
                    <tr key={`${spell.from}-${spell.keeper?.id ?? 0}`}>
                      <td>{spell.keeper ? t('common.personRef', { name: spell.keeper.name, badge: spell.keeper.badge }) : t('devices.noKeeper')}</td>
                      <td className="nowrap">{time(spell.from)}</td>
                      <td className="nowrap">{spell.to === null ? t('devices.detail.current') : time(spell.to)}</td>
                      <td>{spell.assignedBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {can('ingest.view') && <DockHistory deviceId={d.id} serial={d.serial} />}
          {open === 'keeper' && <KeeperDialog device={d} onClose={() => setOpen(null)} />}
          {open === 'edit' && <EditDeviceDialog device={d} onClose={() => setOpen(null)} />}
          {(open === 'in_service' || open === 'out_of_service' || open === 'retired') && (
            <StatusDialog device={d} status={open} onClose={() => setOpen(null)} />
          )}
        </>
      )}
    </section>
  );
}

function KeeperDialog({ device, onClose }: { device: DeviceDetail; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [keeper, setKeeper] = useState<PersonRef | null>(device.keeper);
  const { busy, error, fieldError, run } = useSubmit();
  const submit = () => void run(() => client.call('devices.update', { id: device.id, keeperId: keeper?.id ?? null }), onClose);

  return (
    <Dialog
      title={t('devices.detail.changeKeeperTitle', { serial: device.serial })}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('common.save')} busy={busy} onCancel={onClose} />}
    >
      <p className="muted">{t('devices.detail.changeKeeperHint')}</p>
      <ErrorAlert error={error} />
      <PersonPicker legend={t('fields.keeper')} value={keeper} onChange={setKeeper} error={fieldError('keeperId')} />
    </Dialog>
  );
}

function EditDeviceDialog({ device, onClose }: { device: DeviceDetail; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [form, setForm] = useState({ model: device.model ?? '', note: device.note ?? '' });
  const { busy, error, fieldError, run } = useSubmit();
  const submit = () => void run(() => client.call('devices.update', { id: device.id, model: form.model, note: form.note }), onClose);

  return (
    <Dialog
      title={t('devices.detail.editTitle', { serial: device.serial })}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('common.save')} busy={busy} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <TextField
        label={t('fields.model')}
        value={form.model}
        onChange={(e) => setForm({ ...form, model: e.target.value })}
        error={fieldError('model')}
        autoComplete="off"
        data-autofocus
      />
      <NoteField label={t('fields.note')} value={form.note} onChange={(note) => setForm({ ...form, note })} error={fieldError('note')} />
    </Dialog>
  );
}

const STATUS_TEXT: Record<DeviceStatus, { title: string; confirm: string; body: string }> = {
  out_of_service: { title: 'devices.status.takeOutTitle', confirm: 'devices.status.takeOut', body: 'devices.status.takeOutBody' },
  in_service: { title: 'devices.status.returnTitle', confirm: 'devices.status.return', body: 'devices.status.returnBody' },
  retired: { title: 'devices.status.retireTitle', confirm: 'devices.status.retire', body: 'devices.status.retireBody' },
};

function StatusDialog({ device, status, onClose }: { device: DeviceDetail; status: DeviceStatus; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const text = STATUS_TEXT[status];
  return (
    <ConfirmDialog
      title={t(text.title, { serial: device.serial })}
      confirmLabel={t(text.confirm)}
      tone={status === 'retired' ? 'danger' : 'normal'}
      reason={{ label: t('fields.reason'), hint: t('devices.status.reasonHint') }}
      onCancel={onClose}
      onConfirm={async (reason) => {
        const r = await client.call('devices.setStatus', { id: device.id, status, reason });
        if (!r.ok) return r.error;
        onClose();
        return null;
      }}
    >
      <p>{t(text.body, { serial: device.serial })}</p>
      {status === 'retired' && <p className="alert alert-warn">{t('devices.status.retireFinal')}</p>}
    </ConfirmDialog>
  );
}
