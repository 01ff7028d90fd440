// 第十五条's exception as form fields: which case (连续工作、异地执法、偏远地区),
// why the footage cannot be handed over in time, and the declared return to
// the unit. Shared by the checkout wizard (declared when the camera goes out)
// and the declare-exception dialog (declared later), so both ask the same
// question in the same words.
import { useId } from 'react';
import type { OffloadException } from '../../../shared/custody.js';
import { offloadExceptions } from '../../../shared/custody.js';
import { TextArea, TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';

export interface ExceptionDraft {
  kind: OffloadException | null;
  reason: string;
  /** `YYYY-MM-DDTHH:mm` in the station's zone, as the date-time input gives it. */
  declaredReturn: string;
}

export const NO_EXCEPTION: ExceptionDraft = { kind: null, reason: '', declaredReturn: '' };

/** Every field filled: a case chosen, a reason written, a return time given. */
export function exceptionComplete(d: ExceptionDraft): d is ExceptionDraft & { kind: OffloadException } {
  return d.kind !== null && d.reason.trim() !== '' && d.declaredReturn !== '';
}

export function ExceptionFields({
  value,
  onChange,
  errors = {},
  minReturn,
  autoFocus = false,
}: {
  value: ExceptionDraft;
  onChange(next: ExceptionDraft): void;
  errors?: { reason?: string | undefined; declaredReturn?: string | undefined };
  /** The earliest return the input offers (the checkout time). */
  minReturn?: string;
  /** Mark the first case for a dialog to focus (see Dialog's data-autofocus). */
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  // Two forms may be on one page (a dialog over a screen): each radio group its own name.
  const group = useId();
  return (
    <>
      <fieldset className="fieldset">
        <legend className="field-label">{t('checkout.exceptionKind')}</legend>
        <div className="check-grid">
          {offloadExceptions.map((k, i) => (
            <label key={k} className="check-tile">
              <input
                type="radio"
                name={`${group}-kind`}
                checked={value.kind === k}
                onChange={() => onChange({ ...value, kind: k })}
                data-autofocus={autoFocus && i === 0 ? true : undefined}
              />
              <span className="check-tile-title">{t(`offloadException.${k}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextArea
        label={t('checkout.exceptionReason')}
        value={value.reason}
        onChange={(e) => onChange({ ...value, reason: e.target.value })}
        error={errors.reason}
        maxLength={500}
        rows={2}
      />
      <TextField
        label={t('checkout.declaredReturn')}
        hint={t('checkout.declaredReturnHint')}
        type="datetime-local"
        value={value.declaredReturn}
        min={minReturn}
        onChange={(e) => onChange({ ...value, declaredReturn: e.target.value })}
        error={errors.declaredReturn}
      />
    </>
  );
}
