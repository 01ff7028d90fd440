// An unregistered camera on the dock: register it on the spot (serial as the
// camera reports it, model, keeper), then identify the still-docked camera
// again so its footage is offloaded without unplugging it.
import { useState } from 'react';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import type { CameraDraft } from '../devices/CameraFields.js';
import { CameraFields, registration } from '../devices/CameraFields.js';

export function RegisterFromAlarmDialog({ serial: reported, dockSessionId, onClose }: { serial: string; dockSessionId: number; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [camera, setCamera] = useState<CameraDraft>({ serial: reported, model: '', keeper: null });
  const { busy, error, fieldError, run } = useSubmit();

  // Busy through both calls: the dialog closes once the camera is identified again.
  const submit = () =>
    void run(async () => {
      const registered = await client.call('devices.register', { ...registration(camera), note: t('board.registeredFromDock') });
      return registered.ok ? client.call('dock.retry', { id: dockSessionId }) : registered;
    }, onClose);

  return (
    <Dialog
      title={t('board.registerTitle')}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('board.registerSubmit')} busy={busy} onCancel={onClose} />}
    >
      <p className="muted">{t('board.registerIntro')}</p>
      <ErrorAlert error={error} />
      <CameraFields value={camera} onChange={setCamera} fieldError={fieldError} focus="model" />
    </Dialog>
  );
}
