// 第六条: 综合处 registers each camera; every camera has one fixed keeper (定人管理).
import { useState } from 'react';
import type { DeviceDetail, PersonRef } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useStation } from '../../app/context.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea, TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from './PersonPicker.js';

export function RegisterDeviceDialog({ onClose, onRegistered }: { onClose(): void; onRegistered(device: DeviceDetail): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [form, setForm] = useState({ serial: '', model: '', note: '' });
  const [keeper, setKeeper] = useState<PersonRef | null>(null);
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  const submit = async () => {
    setBusy(true);
    const r = await client.call('devices.register', {
      serial: form.serial,
      ...(form.model.trim() ? { model: form.model } : {}),
      ...(keeper ? { keeperId: keeper.id } : {}),
      ...(form.note.trim() ? { note: form.note } : {}),
    });
    setBusy(false);
    if (r.ok) return onRegistered(r.value);
    setError(r.error);
  };

  return (
    <Dialog
      title={t('devices.register.title')}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      actions={
        <>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.working') : t('devices.register.submit')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} />
      <TextField
        label={t('fields.serial')}
        hint={t('devices.register.serialHint')}
        value={form.serial}
        onChange={(e) => setForm({ ...form, serial: e.target.value })}
        error={fieldError('serial')}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
      />
      <TextField
        label={t('fields.model')}
        optional={t('common.optional')}
        value={form.model}
        onChange={(e) => setForm({ ...form, model: e.target.value })}
        error={fieldError('model')}
        autoComplete="off"
      />
      <PersonPicker legend={t('fields.keeper')} value={keeper} onChange={setKeeper} error={fieldError('keeperId')} />
      <TextArea
        label={t('fields.note')}
        optional={t('common.optional')}
        value={form.note}
        onChange={(e) => setForm({ ...form, note: e.target.value })}
        error={fieldError('note')}
        maxLength={500}
        rows={2}
      />
    </Dialog>
  );
}
