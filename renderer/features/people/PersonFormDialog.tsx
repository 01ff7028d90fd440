// Create a person (警号, 姓名, 单位, roles) or edit name, unit and roles. The
// badge number is the login identity and is not edited once issued.
import { useId, useState } from 'react';
import type { Person } from '../../../shared/domain.js';
import type { Role } from '../../../shared/roles.js';
import { roles as allRoles } from '../../../shared/roles.js';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';

export function PersonFormDialog({
  person,
  onClose,
  onCreated,
}: {
  /** Edit this person; create a new one when absent. */
  person?: Person;
  onClose(): void;
  onCreated?(result: { person: Person; oneTimePin: string }): void;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const [form, setForm] = useState({ badge: person?.badge ?? '', name: person?.name ?? '', unit: person?.unit ?? '' });
  const [chosen, setChosen] = useState<Role[]>(person?.roles ?? ['officer']);
  const [noRole, setNoRole] = useState(false);
  const { busy, error, fieldError, run } = useSubmit();
  const rolesHint = useId();

  const toggle = (role: Role) => setChosen((c) => (c.includes(role) ? c.filter((r) => r !== role) : [...c, role]));

  const submit = () => {
    if (chosen.length === 0) return setNoRole(true);
    setNoRole(false);
    // Keep the table's order, whatever order the boxes were ticked in.
    const roles = allRoles.filter((r) => chosen.includes(r));
    if (person) return void run(() => client.call('people.update', { id: person.id, name: form.name, unit: form.unit, roles }), onClose);
    const input = { badge: form.badge, name: form.name, ...(form.unit.trim() ? { unit: form.unit } : {}), roles };
    void run(() => client.call('people.create', input), (created) => onCreated?.(created));
  };

  const rolesError = noRole ? t('validation.roles') : fieldError('roles');
  return (
    <Dialog
      title={person ? t('people.form.editTitle', { name: person.name }) : t('people.form.createTitle')}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={person ? t('common.save') : t('people.form.create')} busy={busy} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      {person ? (
        <p className="lead">
          {t('common.badge')} <strong>{person.badge}</strong>
        </p>
      ) : (
        <TextField
          label={t('fields.badge')}
          hint={t('people.form.badgeHint')}
          value={form.badge}
          onChange={(e) => setForm({ ...form, badge: e.target.value })}
          error={fieldError('badge')}
          autoComplete="off"
          data-autofocus
        />
      )}
      <TextField
        label={t('fields.name')}
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        error={fieldError('name')}
        autoComplete="off"
        data-autofocus={person ? true : undefined}
      />
      <TextField
        label={t('fields.unit')}
        optional={t('common.optional')}
        value={form.unit}
        onChange={(e) => setForm({ ...form, unit: e.target.value })}
        error={fieldError('unit')}
        autoComplete="off"
      />
      <fieldset className={`fieldset${rolesError ? ' field-invalid' : ''}`} aria-describedby={rolesHint}>
        <legend className="field-label">{t('fields.roles')}</legend>
        <p id={rolesHint} className="field-hint">
          {t('people.form.rolesHint')}
        </p>
        <div className="check-grid">
          {allRoles.map((role) => (
            <label key={role} className="check-tile">
              <input type="checkbox" checked={chosen.includes(role)} onChange={() => toggle(role)} />
              <span>
                <span className="check-tile-title">{t(`roles.${role}`)}</span>
                <span className="check-tile-text">{t(`roleInfo.${role}`)}</span>
              </span>
            </label>
          ))}
        </div>
        {rolesError && <p className="field-error">{rolesError}</p>}
      </fieldset>
    </Dialog>
  );
}
