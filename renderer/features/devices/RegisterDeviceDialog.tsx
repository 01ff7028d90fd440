// 第六条: 综合处 registers each camera; every camera has one fixed keeper (定人管理).
import { useState } from 'react';
import type { DeviceDetail } from '../../../shared/domain.js';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import type { CameraDraft } from './CameraFields.js';
import { CameraFields, registration } from './CameraFields.js';

export function RegisterDeviceDialog({ onClose, onRegistered }: { onClose(): void; onRegistered(device: DeviceDetail): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [camera, setCamera] = useState<CameraDraft>({ serial: '', model: '', keeper: null });
  const [note, setNote] = useState('');
  const { busy, error, fieldError, run } = useSubmit();

  const submit = () => void run(() => client.call('devices.register', { ...registration(camera), ...(note.trim() ? { note } : {}) }), onRegistered);

  return (
    <Dialog
      title={t('devices.register.title')}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('devices.register.submit')} busy={busy} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <CameraFields value={camera} onChange={setCamera} fieldError={fieldError} serialHint={t('devices.register.serialHint')} focus="serial" />
      <TextArea
        label={t('fields.note')}
        optional={t('common.optional')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={fieldError('note')}
        maxLength={500}
        rows={2}
      />
    </Dialog>
  );
}
