// 第六条 faults and maintenance: report a fault on a camera (and take it out of
// service), log the repairs against it, and close it, returning the camera to
// service. A camera with an open fault cannot be checked out; this is where
// that fault is worked off. The second view is routine care (保管和养护),
// logged without a fault. Follows faults.changed: nothing polls.
import { useState } from 'react';
import type { Fault } from '../../../shared/custody.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { CameraSelectField, useCameras } from './FaultFields.js';
import { RoutineCare } from './RoutineCare.js';

const REFRESH = ['faults.changed', 'devices.changed'] as const;

type Action = { kind: 'report' } | { kind: 'maintenance'; fault: Fault } | { kind: 'close'; fault: Fault };

export function FaultsScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const [view, setView] = useState<'faults' | 'routine'>('faults');
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const faults = useQuery('faults.list', onlyOpen ? { open: true } : {}, { refreshOn: REFRESH, enabled: view === 'faults' });
  const mayOperate = can('custody.operate');
  const showView = (next: 'faults' | 'routine') => {
    setView(next);
    setNotice(null);
  };
  const done = (text: string) => {
    setAction(null);
    setNotice(text);
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1 className="screen-title">{t('faults.title')}</h1>
        {mayOperate && view === 'faults' && (
          <button type="button" className="btn btn-primary" onClick={() => setAction({ kind: 'report' })}>
            {t('faults.report')}
          </button>
        )}
      </div>
      <p className="lead">{t('faults.intro')}</p>
      <div className="segmented view-segmented" role="group" aria-label={t('faults.views')}>
        <button type="button" className="segmented-option" aria-pressed={view === 'faults'} onClick={() => showView('faults')}>
          {t('faults.viewFaults')}
        </button>
        <button type="button" className="segmented-option" aria-pressed={view === 'routine'} onClick={() => showView('routine')}>
          {t('faults.viewRoutine')}
        </button>
      </div>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {view === 'routine' && <RoutineCare mayOperate={mayOperate} onLogged={(m) => setNotice(t('faults.routineLogged', { serial: m.serial }))} />}
      {view === 'faults' && (
        <>
          <div className="segmented filter-segmented" role="group" aria-label={t('faults.filter')}>
            <button type="button" className="segmented-option" aria-pressed={onlyOpen} onClick={() => setOnlyOpen(true)}>
              {t('faults.showOpen')}
            </button>
            <button type="button" className="segmented-option" aria-pressed={!onlyOpen} onClick={() => setOnlyOpen(false)}>
              {t('faults.showAll')}
            </button>
          </div>
          {faults.result && !faults.result.ok && <ErrorAlert error={faults.result.error} />}
          {faults.result?.ok && faults.result.value.length === 0 && <p className="muted">{onlyOpen ? t('faults.noneOpen') : t('faults.none')}</p>}
          {faults.result?.ok && (
            <ul className="fault-list">
              {faults.result.value.map((f) => (
                <li key={f.id}>
                  <FaultCard
                    fault={f}
                    mayOperate={mayOperate}
                    onMaintenance={() => setAction({ kind: 'maintenance', fault: f })}
                    onClose={() => setAction({ kind: 'close', fault: f })}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {action?.kind === 'report' && (
        <ReportDialog onClose={() => setAction(null)} onDone={(f) => done(t('faults.reported', { serial: f.device.serial }))} />
      )}
      {action?.kind === 'maintenance' && (
        <MaintenanceDialog fault={action.fault} onClose={() => setAction(null)} onDone={() => done(t('faults.maintenanceLogged', { serial: action.fault.device.serial }))} />
      )}
      {action?.kind === 'close' && (
        <CloseDialog
          fault={action.fault}
          onClose={() => setAction(null)}
          onDone={(back) => done(t(back ? 'faults.closedInService' : 'faults.closed', { serial: action.fault.device.serial }))}
        />
      )}
    </section>
  );
}

function FaultCard({ fault, mayOperate, onMaintenance, onClose }: { fault: Fault; mayOperate: boolean; onMaintenance(): void; onClose(): void }) {
  const { t } = useI18n();
  const time = useStationTime();
  const open = fault.closedAt === null;
  const titleId = `fault-${fault.id}-title`;
  return (
    <article className={`card fault-card${open ? ' fault-open' : ''}`} aria-labelledby={titleId}>
      <div className="fault-head">
        <h2 id={titleId} className="section-title">
          <a className="table-link mono" href={href({ screen: 'device', id: fault.device.id })}>
            {fault.device.serial}
          </a>{' '}
          <span className="muted">{t('faults.number', { id: fault.id })}</span>
        </h2>
        <span className={open ? 'tag tag-bad' : 'tag tag-ok'}>{open ? t('faults.open') : t('faults.closedTag')}</span>
      </div>
      <p className="fault-description">{fault.description}</p>
      <p className="muted">
        {t('faults.reportedBy', { at: time(fault.reportedAt), by: fault.reportedBy })}
        {fault.checkoutId !== null && ` · ${t('faults.fromCheckout', { id: fault.checkoutId })}`}
      </p>
      <h3 className="field-label">{t('faults.maintenance')}</h3>
      {fault.maintenance.length === 0 ? (
        <p className="muted">{t('faults.noMaintenance')}</p>
      ) : (
        <ol className="maintenance-list">
          {fault.maintenance.map((m) => (
            <li key={m.id}>
              <span className="muted nowrap">{t('faults.entryBy', { at: time(m.at), by: m.by })}</span> {m.description}
            </li>
          ))}
        </ol>
      )}
      {!open && (
        <p className="alert alert-ok">
          {t('faults.resolution', { at: time(fault.closedAt!), by: fault.closedBy ?? '', resolution: fault.resolution ?? '' })}
        </p>
      )}
      {open && mayOperate && (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={onMaintenance}>
            {t('faults.logMaintenanceFor', { serial: fault.device.serial })}
          </button>
          <button type="button" className="btn btn-primary" onClick={onClose}>
            {t('faults.closeFor', { serial: fault.device.serial })}
          </button>
        </div>
      )}
    </article>
  );
}

function ReportDialog({ onClose, onDone }: { onClose(): void; onDone(f: Fault): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const cameras = useCameras();
  const [deviceId, setDeviceId] = useState('');
  const [description, setDescription] = useState('');
  const [outOfService, setOutOfService] = useState(true);
  const { busy, error, fieldError, run } = useSubmit();
  const ready = deviceId !== '' && description.trim() !== '';
  const submit = () => {
    if (ready) void run(() => client.call('faults.report', { deviceId: Number(deviceId), description, outOfService }), onDone);
  };
  return (
    <Dialog
      title={t('faults.reportTitle')}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('faults.reportConfirm')} busy={busy} disabled={!ready} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <CameraSelectField cameras={cameras} value={deviceId} onChange={setDeviceId} error={fieldError('deviceId')} />
      <NoteField label={t('faults.description')} hint={t('faults.descriptionHint')} value={description} onChange={setDescription} error={fieldError('description')} />
      <label className="check-inline">
        <input type="checkbox" checked={outOfService} onChange={(e) => setOutOfService(e.target.checked)} />
        <span>{t('faults.outOfService')}</span>
      </label>
    </Dialog>
  );
}

function MaintenanceDialog({ fault, onClose, onDone }: { fault: Fault; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [description, setDescription] = useState('');
  const { busy, error, fieldError, run } = useSubmit();
  const submit = () => {
    if (description.trim()) void run(() => client.call('faults.logMaintenance', { deviceId: fault.device.id, faultId: fault.id, description }), onDone);
  };
  return (
    <Dialog
      title={t('faults.maintenanceTitle', { serial: fault.device.serial })}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('faults.logMaintenance')} busy={busy} disabled={!description.trim()} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <p className="fault-description">{fault.description}</p>
      <NoteField
        label={t('faults.maintenanceDone')}
        hint={t('faults.maintenanceHint')}
        value={description}
        onChange={setDescription}
        error={fieldError('description')}
        autoFocus
      />
    </Dialog>
  );
}

function CloseDialog({ fault, onClose, onDone }: { fault: Fault; onClose(): void; onDone(returnedToService: boolean): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [resolution, setResolution] = useState('');
  const [returnToService, setReturnToService] = useState(true);
  const { busy, error, fieldError, run } = useSubmit();
  const submit = () => {
    if (resolution.trim()) void run(() => client.call('faults.close', { id: fault.id, resolution, returnToService }), () => onDone(returnToService));
  };
  return (
    <Dialog
      title={t('faults.closeTitle', { serial: fault.device.serial })}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('faults.closeConfirm')} busy={busy} disabled={!resolution.trim()} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <p className="fault-description">{fault.description}</p>
      <NoteField label={t('faults.resolutionLabel')} value={resolution} onChange={setResolution} error={fieldError('resolution')} autoFocus />
      <label className="check-inline">
        <input type="checkbox" checked={returnToService} onChange={(e) => setReturnToService(e.target.checked)} />
        <span>{t('faults.returnToService')}</span>
      </label>
    </Dialog>
  );
}
