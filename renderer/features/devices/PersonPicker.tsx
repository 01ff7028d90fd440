// Chooses the fixed keeper (定人保管人) among active people: type part of a
// 警号 or name, then pick from large radio tiles.
import { useId, useState } from 'react';
import type { PersonRef } from '../../../shared/domain.js';
import { useDebounced, useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

const SHOWN = 6;

export function PersonPicker({
  legend,
  value,
  onChange,
  error,
  allowNone = true,
}: {
  legend: string;
  value: PersonRef | null;
  onChange(person: PersonRef | null): void;
  error?: string | undefined;
  allowNone?: boolean;
}) {
  const { t } = useI18n();
  const name = useId();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim());
  const people = useQuery('people.list', { query: search || undefined, includeInactive: false }, { refreshOn: ['people.changed'] });
  const found = people.result?.ok ? people.result.value : [];
  const shown = found.slice(0, SHOWN).filter((p) => p.id !== value?.id);

  const tile = (person: PersonRef | null) => (
    <label key={person?.id ?? 'none'} className="check-tile">
      <input type="radio" name={name} checked={(value?.id ?? null) === (person?.id ?? null)} onChange={() => onChange(person)} />
      <span>
        {person ? (
          <>
            <span className="check-tile-title">{person.name}</span>
            <span className="check-tile-text">
              {t('common.badge')} {person.badge}
            </span>
          </>
        ) : (
          <span className="check-tile-title">{t('devices.noKeeper')}</span>
        )}
      </span>
    </label>
  );

  return (
    <fieldset className={`fieldset${error ? ' field-invalid' : ''}`}>
      <legend className="field-label">{legend}</legend>
      <div className="field">
        <label htmlFor={searchId} className="field-hint">
          {t('devices.keeperSearch')}
        </label>
        <input id={searchId} className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </div>
      {people.result && !people.result.ok && <ErrorAlert error={people.result.error} />}
      <div className="check-grid">
        {value && tile(value)}
        {shown.map((p) => tile({ id: p.id, badge: p.badge, name: p.name }))}
        {allowNone && tile(null)}
      </div>
      {found.length > SHOWN && <p className="field-hint">{t('devices.keeperMore', { n: found.length - SHOWN })}</p>}
      {people.result?.ok && found.length === 0 && <p className="field-hint">{t('devices.keeperNone')}</p>}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
