// An unregistered camera on the dock: register it on the spot (serial as the
// camera reports it, model, keeper), then identify the still-docked camera
// again so its footage is offloaded without unplugging it.
import { useState } from 'react';
import type { PersonRef } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useStation } from '../../app/context.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';

export function RegisterFromAlarmDialog({ serial: reported, dockSessionId, onClose }: { serial: string; dockSessionId: number; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [serial, setSerial] = useState(reported);
  const [model, setModel] = useState('');
  const [keeper, setKeeper] = useState<PersonRef | null>(null);
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  const submit = async () => {
    setBusy(true);
    const registered = await client.call('devices.register', {
      serial,
      ...(model.trim() ? { model } : {}),
      ...(keeper ? { keeperId: keeper.id } : {}),
      note: t('board.registeredFromDock'),
    });
    if (!registered.ok) {
      setBusy(false);
      return setError(registered.error);
    }
    const retried = await client.call('dock.retry', { id: dockSessionId });
    setBusy(false);
    if (!retried.ok) return setError(retried.error);
    onClose();
  };

  return (
    <Dialog
      title={t('board.registerTitle')}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      actions={
        <>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.working') : t('board.registerSubmit')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <p className="muted">{t('board.registerIntro')}</p>
      <ErrorAlert error={error} />
      <TextField label={t('fields.serial')} value={serial} onChange={(e) => setSerial(e.target.value)} error={fieldError('serial')} autoComplete="off" spellCheck={false} />
      <TextField
        label={t('fields.model')}
        optional={t('common.optional')}
        value={model}
        onChange={(e) => setModel(e.target.value)}
        error={fieldError('model')}
        autoComplete="off"
        data-autofocus
      />
      <PersonPicker legend={t('fields.keeper')} value={keeper} onChange={setKeeper} error={fieldError('keeperId')} />
    </Dialog>
  );
}
