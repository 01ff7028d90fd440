// 第六条 保管和养护: care given to a camera that no fault called for
// (cleaning, a charge cycle, checking the case), logged by its keeper or the
// custodian, newest first, across cameras or for one, page by page.
import { useState } from 'react';
import type { MaintenanceEntry } from '../../../shared/custody.js';
import { useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField, SelectField } from '../../app/ui/Field.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';
import { CameraSelectField, useCameras } from './FaultFields.js';

const PAGE_SIZE = 20;
const REFRESH = ['faults.changed', 'devices.changed'] as const;

export function RoutineCare({ mayOperate, onLogged }: { mayOperate: boolean; onLogged(entry: MaintenanceEntry): void }) {
  const { t } = useI18n();
  const time = useStationTime();
  // The filter offers retired cameras too: their past care stays listed.
  const cameras = useCameras(true);
  const [deviceId, setDeviceId] = useState('');
  const [logging, setLogging] = useState(false);
  const pages = useCursorPages<number>();
  const beforeId = pages.before;
  const page = useQuery(
    'faults.maintenance',
    { ...(deviceId ? { deviceId: Number(deviceId) } : {}), ...(beforeId ? { beforeId } : {}), limit: PAGE_SIZE },
    { refreshOn: REFRESH },
  );
  const entries = page.result?.ok ? page.result.value : [];
  const last = entries[entries.length - 1];
  const olderFrom = entries.length === PAGE_SIZE ? last?.id : undefined;

  return (
    <section className="routine-care" aria-labelledby="routine-title">
      <div className="page-head">
        <h2 id="routine-title" className="section-title">
          {t('faults.routineTitle')}
        </h2>
        {mayOperate && (
          <button type="button" className="btn btn-primary" onClick={() => setLogging(true)}>
            {t('faults.logRoutine')}
          </button>
        )}
      </div>
      <p className="muted">{t('faults.routineIntro')}</p>
      {cameras.result && !cameras.result.ok && <ErrorAlert error={cameras.result.error} />}
      <SelectField
        label={t('faults.routineCamera')}
        className="routine-filter"
        value={deviceId}
        onChange={(e) => {
          setDeviceId(e.target.value);
          pages.reset();
        }}
      >
        <option value="">{t('faults.allCameras')}</option>
        {cameras.list.map((c) => (
          <option key={c.device.id} value={String(c.device.id)}>
            {c.device.serial}
          </option>
        ))}
      </SelectField>
      {page.result && !page.result.ok && <ErrorAlert error={page.result.error} />}
      {page.result?.ok && entries.length === 0 && <p className="empty">{t('faults.routineNone')}</p>}
      {entries.length > 0 && (
        <TableWrap label={t('faults.routineTable')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('faults.colAt')}</th>
                <th scope="col">{t('faults.colCamera')}</th>
                <th scope="col">{t('faults.colDone')}</th>
                <th scope="col">{t('faults.colBy')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{time(m.at)}</td>
                  <td>
                    <a className="table-link mono" href={href({ screen: 'device', id: m.deviceId })}>
                      {m.serial}
                    </a>
                  </td>
                  <td className="routine-description">{m.description}</td>
                  <td>{m.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Pager pages={pages} olderFrom={olderFrom} newerLabel={t('faults.newer')} olderLabel={t('faults.older')} />
      {logging && (
        <RoutineDialog
          initialDeviceId={deviceId}
          onClose={() => setLogging(false)}
          onDone={(entry) => {
            setLogging(false);
            pages.reset();
            onLogged(entry);
          }}
        />
      )}
    </section>
  );
}

function RoutineDialog({ initialDeviceId, onClose, onDone }: { initialDeviceId: string; onClose(): void; onDone(entry: MaintenanceEntry): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  // Care is logged on cameras still kept: a retired one is not looked after any more.
  const cameras = useCameras();
  const [deviceId, setDeviceId] = useState(initialDeviceId);
  const [description, setDescription] = useState('');
  const { busy, error, fieldError, run } = useSubmit();
  // The list's camera filter starts the choice, if that camera can be chosen here.
  const chosen = cameras.list.some((c) => String(c.device.id) === deviceId) ? deviceId : '';
  const ready = chosen !== '' && description.trim() !== '';
  const submit = () => {
    if (ready) void run(() => client.call('faults.logMaintenance', { deviceId: Number(chosen), description }), onDone);
  };
  return (
    <Dialog
      title={t('faults.routineDialogTitle')}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('faults.logRoutine')} busy={busy} disabled={!ready} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <CameraSelectField cameras={cameras} value={chosen} onChange={setDeviceId} error={fieldError('deviceId')} />
      <NoteField label={t('faults.routineDone')} hint={t('faults.routineHint')} value={description} onChange={setDescription} error={fieldError('description')} />
    </Dialog>
  );
}
