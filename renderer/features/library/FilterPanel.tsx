// The search's filters. Each change rewrites the URL at once (the results
// follow), so there is no "search" button to forget. A filter is offered only
// to those whose role may use it: the officer and camera lists need the
// registries, the secret levels a department head.
import { useState } from 'react';
import type { PersonRef } from '../../../shared/domain.js';
import { workTypes } from '../../../shared/custody.js';
import { clipKinds, confidentialityLevels, isSecret } from '../../../shared/library.js';
import { useSession } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { SelectField, TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';
import type { LibraryFilters } from './filters.js';

type YesNo = 'any' | 'yes' | 'no';

const toYesNo = (v: boolean | undefined): YesNo => (v === undefined ? 'any' : v ? 'yes' : 'no');
const fromYesNo = (v: string): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);

function without<K extends keyof LibraryFilters>(f: LibraryFilters, key: K, value: LibraryFilters[K] | undefined | ''): LibraryFilters {
  const next = { ...f };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

export function FilterPanel({ filters, onChange }: { filters: LibraryFilters; onChange(next: LibraryFilters): void }) {
  const { t } = useI18n();
  const { can, session } = useSession();
  const set = <K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K] | undefined | '') => onChange(without(filters, key, value));
  const people = useQuery('people.list', { includeInactive: true }, { enabled: can('people.view') && filters.officerId !== undefined });
  const devices = useQuery('devices.list', {}, { enabled: can('devices.view'), refreshOn: ['devices.changed'] });
  const cases = useQuery('cases.list', { limit: 200 }, { refreshOn: ['audit.appended'] });
  const [picking, setPicking] = useState(false);
  const officer = people.result?.ok ? people.result.value.find((p) => p.id === filters.officerId) : undefined;
  // Secret clips are listed only to a department head (or under a head's grant, which the core knows).
  const levels = confidentialityLevels.filter((l) => !isSecret(l) || session.person.roles.includes('department_head'));
  const any = Object.keys(filters).length > 0;

  return (
    <div className="card library-filters">
      <h2 className="section-title">{t('library.filters')}</h2>
      <div className="form-row">
        {can('people.view') && (
          <div className="field">
            <span className="field-label" id="library-officer-label">
              {t('library.col.officer')}
            </span>
            <div className="library-officer" aria-labelledby="library-officer-label" role="group">
              <span className="library-officer-name">
                {filters.officerId === undefined ? t('library.anyOfficer') : officer ? t('common.personRef', { name: officer.name, badge: officer.badge }) : '…'}
              </span>
              <button type="button" className="btn btn-secondary" onClick={() => setPicking(true)}>
                {t('library.pickOfficer')}
              </button>
              {filters.officerId !== undefined && (
                <button type="button" className="btn btn-secondary" onClick={() => set('officerId', undefined)}>
                  {t('library.clearOfficer')}
                </button>
              )}
            </div>
          </div>
        )}
        {can('devices.view') && (
          <SelectField label={t('library.col.camera')} value={filters.deviceId ?? ''} onChange={(e) => set('deviceId', e.target.value ? Number(e.target.value) : undefined)}>
            <option value="">{t('library.any')}</option>
            {(devices.result?.ok ? devices.result.value : []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.serial}
              </option>
            ))}
          </SelectField>
        )}
        <TextField label={t('library.fromDay')} type="date" value={filters.fromDay ?? ''} onChange={(e) => set('fromDay', e.target.value)} />
        <TextField label={t('library.toDay')} type="date" value={filters.toDay ?? ''} onChange={(e) => set('toDay', e.target.value)} />
        <SelectField label={t('library.col.important')} value={toYesNo(filters.important)} onChange={(e) => set('important', fromYesNo(e.target.value))}>
          <option value="any">{t('library.any')}</option>
          <option value="yes">{t('library.importantOnly')}</option>
          <option value="no">{t('library.notImportant')}</option>
        </SelectField>
        <SelectField label={t('library.col.kind')} value={filters.kind ?? ''} onChange={(e) => set('kind', e.target.value as LibraryFilters['kind'] | '')}>
          <option value="">{t('library.any')}</option>
          {clipKinds.map((k) => (
            <option key={k} value={k}>
              {t(`library.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('library.workType')} value={filters.workType ?? ''} onChange={(e) => set('workType', e.target.value as LibraryFilters['workType'] | '')}>
          <option value="">{t('library.any')}</option>
          {workTypes.map((w) => (
            <option key={w} value={w}>
              {t(`workType.${w}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('library.col.damaged')} value={toYesNo(filters.damaged)} onChange={(e) => set('damaged', fromYesNo(e.target.value))}>
          <option value="any">{t('library.any')}</option>
          <option value="yes">{t('library.damagedOnly')}</option>
          <option value="no">{t('library.notDamaged')}</option>
        </SelectField>
        <SelectField
          label={t('library.col.level')}
          value={filters.confidentiality ?? ''}
          onChange={(e) => set('confidentiality', e.target.value as LibraryFilters['confidentiality'] | '')}
        >
          <option value="">{t('library.any')}</option>
          {levels.map((l) => (
            <option key={l} value={l}>
              {t(`library.level.${l}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('library.case')} value={filters.caseId ?? ''} onChange={(e) => set('caseId', e.target.value ? Number(e.target.value) : undefined)}>
          <option value="">{t('library.any')}</option>
          {(cases.result?.ok ? cases.result.value : []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.caseNo} {c.cause}
            </option>
          ))}
        </SelectField>
      </div>
      {any && (
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={() => onChange({})}>
            {t('library.clearAll')}
          </button>
        </div>
      )}
      {picking && (
        <OfficerDialog
          onClose={() => setPicking(false)}
          onPick={(p) => {
            setPicking(false);
            set('officerId', p.id);
          }}
        />
      )}
    </div>
  );
}

function OfficerDialog({ onClose, onPick }: { onClose(): void; onPick(person: PersonRef): void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonRef | null>(null);
  return (
    <Dialog
      title={t('library.pickOfficer')}
      onClose={onClose}
      onSubmit={() => person && onPick(person)}
      wide
      actions={
        <>
          <button type="submit" className="btn btn-primary" disabled={!person}>
            {t('library.useOfficer')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <PersonPicker legend={t('library.col.officer')} value={person} onChange={setPerson} allowNone={false} />
    </Dialog>
  );
}
