// An on-screen digit keypad for the touch screen. It edits whatever PIN field
// the parent points it at; a physical keyboard works on the field directly.
import { useI18n } from '../../i18n/i18n.js';
import { MAX_PIN_LENGTH } from '../secretRules.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Keeps focus in the PIN field while tapping keys, so Enter on a keyboard still submits. */
const keepFocus = (e: { preventDefault(): void }) => e.preventDefault();

export function PinPad({ value, onChange, maxLength = MAX_PIN_LENGTH }: { value: string; onChange(next: string): void; maxLength?: number }) {
  const { t } = useI18n();
  const press = (digit: string) => {
    if (value.length < maxLength) onChange(value + digit);
  };
  return (
    <div className="pinpad" role="group" aria-label={t('pinpad.label')}>
      {DIGITS.map((d) => (
        <button key={d} type="button" className="pinpad-key" onMouseDown={keepFocus} onClick={() => press(d)}>
          {d}
        </button>
      ))}
      <button type="button" className="pinpad-key pinpad-aux" onMouseDown={keepFocus} onClick={() => onChange('')}>
        {t('pinpad.clear')}
      </button>
      <button type="button" className="pinpad-key" onMouseDown={keepFocus} onClick={() => press('0')}>
        0
      </button>
      <button type="button" className="pinpad-key pinpad-aux" onMouseDown={keepFocus} aria-label={t('pinpad.backspace')} onClick={() => onChange(value.slice(0, -1))}>
        ⌫
      </button>
    </div>
  );
}
