// Labelled form controls. The hint and the error are tied to the control with
// aria-describedby, so a screen reader reads the rule and what went wrong.
import { useId } from 'react';
import type { ComponentPropsWithRef, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

interface FieldFrameProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: string;
  className?: string;
}

function describedBy(hintId: string | undefined, errorId: string | undefined): string | undefined {
  return [hintId, errorId].filter(Boolean).join(' ') || undefined;
}

function useFieldIds(hint: ReactNode, error: string | undefined) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, hintId, errorId, describedBy: describedBy(hintId, errorId) };
}

function Frame(props: FieldFrameProps & { id: string; hintId?: string | undefined; errorId?: string | undefined; children: ReactNode }) {
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}${props.className ? ` ${props.className}` : ''}`}>
      <label htmlFor={props.id} className="field-label">
        {props.label}
        {props.optional && <span className="field-optional">（{props.optional}）</span>}
      </label>
      {props.hint && (
        <p id={props.hintId} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.children}
      {props.error && (
        <p id={props.errorId} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  optional,
  className,
  inputClassName,
  ...rest
}: FieldFrameProps & Omit<ComponentPropsWithRef<'input'>, 'className'> & { inputClassName?: string }) {
  const ids = useFieldIds(hint, error);
  return (
    <Frame label={label} hint={hint} error={error} optional={optional} className={className} {...ids}>
      <input
        id={ids.id}
        className={`input${inputClassName ? ` ${inputClassName}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...rest}
      />
    </Frame>
  );
}

export function TextArea({
  label,
  hint,
  error,
  optional,
  className,
  ...input
}: FieldFrameProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className'>) {
  const ids = useFieldIds(hint, error);
  return (
    <Frame label={label} hint={hint} error={error} optional={optional} className={className} {...ids}>
      <textarea
        id={ids.id}
        className="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
    </Frame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  optional,
  className,
  children,
  ...select
}: FieldFrameProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className'>) {
  const ids = useFieldIds(hint, error);
  return (
    <Frame label={label} hint={hint} error={error} optional={optional} className={className} {...ids}>
      <select
        id={ids.id}
        className="input select"
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...select}
      >
        {children}
      </select>
    </Frame>
  );
}

/**
 * What someone writes down for the record (a fault, the care or repair given,
 * a review, a reason): up to the core's 500 characters, three lines to start.
 */
export function NoteField({
  label,
  hint,
  value,
  onChange,
  error,
  autoFocus = false,
}: {
  label: string;
  hint?: string | undefined;
  value: string;
  onChange(text: string): void;
  error: string | undefined;
  /** Where the dialog starts (see Dialog's data-autofocus). */
  autoFocus?: boolean;
}) {
  return (
    <TextArea
      label={label}
      hint={hint}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      maxLength={500}
      rows={3}
      data-autofocus={autoFocus || undefined}
    />
  );
}
