import type { StationErrorBody } from '../../../shared/errors.js';
import { useErrorText } from '../context.js';

/** The translated sentence for a failed call, announced to screen readers. */
export function ErrorAlert({ error, text }: { error: StationErrorBody | null; text?: string }) {
  const sentence = useErrorText();
  if (!error && !text) return null;
  return (
    <div className="alert alert-error" role="alert">
      {text ?? sentence(error!)}
    </div>
  );
}

/** For screens outside the station context (no time zone yet): plain text. */
export function PlainAlert({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div className="alert alert-error" role="alert">
      {text}
    </div>
  );
}
