// The camera a fault or routine care is logged on, in the faults dialogs: each
// named with its keeper, so the person at the counter picks the right one from
// the serial on its case.
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';

/** The station's cameras, following devices.changed; retired ones only when asked for. */
export function useCameras(includeRetired = false) {
  const cameras = useQuery('custody.cameras', includeRetired ? { includeRetired: true } : {}, { refreshOn: ['devices.changed'] });
  return { result: cameras.result, list: cameras.result?.ok ? cameras.result.value.cameras : [] };
}

export function CameraSelectField({
  cameras,
  value,
  onChange,
  error,
}: {
  cameras: ReturnType<typeof useCameras>;
  value: string;
  onChange(deviceId: string): void;
  error: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      {cameras.result && !cameras.result.ok && <ErrorAlert error={cameras.result.error} />}
      <SelectField label={t('faults.camera')} value={value} onChange={(e) => onChange(e.target.value)} error={error} data-autofocus>
        <option value="">{t('faults.chooseCamera')}</option>
        {cameras.list.map((c) => (
          <option key={c.device.id} value={String(c.device.id)}>
            {c.device.serial}
            {c.device.keeper ? ` · ${t('common.personRef', { name: c.device.keeper.name, badge: c.device.keeper.badge })}` : ''}
          </option>
        ))}
      </SelectField>
    </>
  );
}
