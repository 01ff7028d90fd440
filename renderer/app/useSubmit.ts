// A form's call to the core: busy while it runs (the submit button says so and
// cannot send twice), the refusal kept to show with the fields it names, and
// the answer handed on when it went through.
import { useState } from 'react';
import type { Result, StationErrorBody } from '../../shared/errors.js';
import { useFieldErrors } from './context.js';

export interface Submission {
  busy: boolean;
  error: StationErrorBody | null;
  /** The message for one field of the last refusal, if it named that field. */
  fieldError(field: string): string | undefined;
  run<T>(call: () => Promise<Result<T>>, onDone: (value: T) => void): Promise<void>;
}

export function useSubmit(): Submission {
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const run = async <T>(call: () => Promise<Result<T>>, onDone: (value: T) => void) => {
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onDone(r.value);
  };
  return { busy, error, fieldError, run };
}
