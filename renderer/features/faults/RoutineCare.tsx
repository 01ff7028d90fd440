// 第六条 保管和养护: care given to a camera that no fault called for
// (cleaning, a charge cycle, checking the case), logged by its keeper or the
// custodian, newest first, across cameras or for one, page by page.
import { useState } from 'react';
import type { MaintenanceEntry } from '../../../shared/custody.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea } from '../../app/ui/Field.js';
import { TableWrap } from '../../app/ui/TableWrap.js';
import { useI18n } from '../../i18n/i18n.js';

const PAGE_SIZE = 20;
const REFRESH = ['faults.changed', 'devices.changed'] as const;

/** The cameras to choose from (retired ones too: their past care stays listed). */
function useCameras() {
  const cameras = useQuery('custody.cameras', { includeRetired: true }, { refreshOn: ['devices.changed'] });
  return { result: cameras.result, list: cameras.result?.ok ? cameras.result.value.cameras : [] };
}

export function RoutineCare({ mayOperate, onLogged }: { mayOperate: boolean; onLogged(entry: MaintenanceEntry): void }) {
  const { t } = useI18n();
  const time = useStationTime();
  const cameras = useCameras();
  const [deviceId, setDeviceId] = useState('');
  const [logging, setLogging] = useState(false);
  // Page n starts below the last row of page n-1 (the audit viewer's cursor stack).
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeId = cursors[cursors.length - 1];
  const page = useQuery(
    'faults.maintenance',
    { ...(deviceId ? { deviceId: Number(deviceId) } : {}), ...(beforeId ? { beforeId } : {}), limit: PAGE_SIZE },
    { refreshOn: REFRESH },
  );
  const entries = page.result?.ok ? page.result.value : [];
  const last = entries[entries.length - 1];
  const hasOlder = entries.length === PAGE_SIZE;

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
          setCursors([undefined]);
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
      {(cursors.length > 1 || hasOlder) && (
        <div className="pager">
          <button type="button" className="btn btn-secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← {t('faults.newer')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={!hasOlder} onClick={() => last && setCursors((c) => [...c, last.id])}>
            {t('faults.older')} →
          </button>
        </div>
      )}
      {logging && (
        <RoutineDialog
          initialDeviceId={deviceId}
          onClose={() => setLogging(false)}
          onDone={(entry) => {
            setLogging(false);
            setCursors([undefined]);
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
  const cameras = useQuery('custody.cameras', {}, { refreshOn: ['devices.changed'] });
  const [deviceId, setDeviceId] = useState(initialDeviceId);
  const [description, setDescription] = useState('');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const list = cameras.result?.ok ? cameras.result.value.cameras : [];
  // The list's camera filter starts the choice, if that camera can be chosen here.
  const chosen = list.some((c) => String(c.device.id) === deviceId) ? deviceId : '';
  const ready = chosen !== '' && description.trim() !== '';
  const submit = async () => {
    if (!ready) return;
    setBusy(true);
    const r = await client.call('faults.logMaintenance', { deviceId: Number(chosen), description });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onDone(r.value);
  };
  return (
    <Dialog
      title={t('faults.routineDialogTitle')}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      actions={
        <>
          <button type="submit" className="btn btn-primary" disabled={!ready || busy}>
            {busy ? t('common.working') : t('faults.logRoutine')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} />
      {cameras.result && !cameras.result.ok && <ErrorAlert error={cameras.result.error} />}
      <SelectField label={t('faults.camera')} value={chosen} onChange={(e) => setDeviceId(e.target.value)} error={fieldError('deviceId')} data-autofocus>
        <option value="">{t('faults.chooseCamera')}</option>
        {list.map((c) => (
          <option key={c.device.id} value={String(c.device.id)}>
            {c.device.serial}
            {c.device.keeper ? ` · ${t('common.personRef', { name: c.device.keeper.name, badge: c.device.keeper.badge })}` : ''}
          </option>
        ))}
      </SelectField>
      <TextArea
        label={t('faults.routineDone')}
        hint={t('faults.routineHint')}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={fieldError('description')}
        maxLength={500}
        rows={3}
      />
    </Dialog>
  );
}
