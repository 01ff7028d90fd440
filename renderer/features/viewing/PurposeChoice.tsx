// 第十九条's purposes as large radio tiles: a request and a standing grant
// both say what the view is for.
import { useId } from 'react';
import type { ViewPurpose } from '../../../shared/library.js';
import { viewPurposes } from '../../../shared/library.js';
import { useI18n } from '../../i18n/i18n.js';

export function PurposeChoice({ value, onChange, error }: { value: ViewPurpose | null; onChange(p: ViewPurpose): void; error?: string | undefined }) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className={`fieldset${error ? ' field-invalid' : ''}`}>
      <legend className="field-label">{t('viewing.purposeLabel')}</legend>
      <div className="check-grid">
        {viewPurposes.map((p) => (
          <label key={p} className="check-tile choice-tile">
            <input type="radio" name={name} checked={value === p} onChange={() => onChange(p)} />
            <span className="check-tile-title">{t(`viewing.purpose.${p}`)}</span>
          </label>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
