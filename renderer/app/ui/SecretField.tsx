// A password or PIN box, the same wherever a secret is typed (login, lock,
// first set-up, PIN change, my account), so none of them can drift from the
// others. The input stays masked; a PIN box asks for the digit keyboard and
// keeps digits only, up to the longest PIN, so a pasted or mistyped letter
// never lands in it.
import type { ComponentPropsWithRef } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { MAX_PIN_LENGTH, MIN_PASSWORD_LENGTH, NEW_PIN } from '../secretRules.js';
import { TextField } from './Field.js';

export type SecretKind = 'pin' | 'password';

/**
 * What the box is for. It sets autocomplete: a password manager may fill in the
 * current password but never a PIN (that is not the account's password), and
 * new-password keeps it from filling the old secret into a new one. A `new` box
 * also states the rule for a new secret.
 */
export type SecretPurpose = 'current' | 'new' | 'repeat';

/** What a PIN box keeps of what was typed or pasted. */
const pinDigits = (text: string) => text.replace(/\D/g, '').slice(0, MAX_PIN_LENGTH);

/** The form's own check of a new secret before it is sent (the core checks again and decides). */
export function newSecretProblem(kind: SecretKind, value: string, t: (key: string) => string): string | undefined {
  if (kind === 'pin') return NEW_PIN.test(value) ? undefined : t('validation.newPin');
  return value.length < MIN_PASSWORD_LENGTH ? t('validation.password') : undefined;
}

type InputProps = Omit<ComponentPropsWithRef<'input'>, 'className' | 'type' | 'inputMode' | 'pattern' | 'autoComplete' | 'value' | 'onChange'>;

export function SecretField({
  kind,
  purpose,
  value,
  onValue,
  hint,
  ...rest
}: InputProps & {
  kind: SecretKind;
  purpose: SecretPurpose;
  label: string;
  /** Said under the label; a `new` box says the rule unless told otherwise. */
  hint?: string | undefined;
  error?: string | undefined;
  inputClassName?: string;
  value: string;
  onValue(next: string): void;
}) {
  const { t } = useI18n();
  const pin = kind === 'pin';
  const rule = pin ? t('pinChange.rule') : t('setup.passwordRule', { min: MIN_PASSWORD_LENGTH });
  return (
    <TextField
      {...rest}
      hint={hint ?? (purpose === 'new' ? rule : undefined)}
      type="password"
      {...(pin ? { inputMode: 'numeric' as const, pattern: '[0-9]*' } : {})}
      autoComplete={purpose !== 'current' ? 'new-password' : pin ? 'off' : 'current-password'}
      value={value}
      onChange={(e) => onValue(pin ? pinDigits(e.target.value) : e.target.value)}
    />
  );
}
