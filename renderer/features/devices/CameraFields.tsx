// A camera's registration (第六条: serial, model and its one fixed keeper),
// asked the same way on the cameras screen and from an unknown camera's alarm
// on the dock board.
import type { PersonRef } from '../../../shared/domain.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from './PersonPicker.js';

export interface CameraDraft {
  serial: string;
  model: string;
  keeper: PersonRef | null;
}

/** The devices.register fields for the draft; a blank model and no keeper are left out. */
export function registration(d: CameraDraft): { serial: string; model?: string; keeperId?: number } {
  return { serial: d.serial, ...(d.model.trim() ? { model: d.model } : {}), ...(d.keeper ? { keeperId: d.keeper.id } : {}) };
}

export function CameraFields({
  value,
  onChange,
  fieldError,
  serialHint,
  focus,
}: {
  value: CameraDraft;
  onChange(next: CameraDraft): void;
  fieldError(field: string): string | undefined;
  serialHint?: string;
  /** The field the dialog starts on: the model where the serial is already known. */
  focus: 'serial' | 'model';
}) {
  const { t } = useI18n();
  return (
    <>
      <TextField
        label={t('fields.serial')}
        hint={serialHint}
        value={value.serial}
        onChange={(e) => onChange({ ...value, serial: e.target.value })}
        error={fieldError('serial')}
        autoComplete="off"
        spellCheck={false}
        data-autofocus={focus === 'serial' || undefined}
      />
      <TextField
        label={t('fields.model')}
        optional={t('common.optional')}
        value={value.model}
        onChange={(e) => onChange({ ...value, model: e.target.value })}
        error={fieldError('model')}
        autoComplete="off"
        data-autofocus={focus === 'model' || undefined}
      />
      <PersonPicker legend={t('fields.keeper')} value={value.keeper} onChange={(keeper) => onChange({ ...value, keeper })} error={fieldError('keeperId')} />
    </>
  );
}
