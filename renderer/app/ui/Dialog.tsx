// A modal built on <dialog>.showModal(): the browser traps focus inside, makes
// the page behind inert and closes on Escape, which a hand-made overlay would
// each have to re-implement. Mark the control to start on with data-autofocus.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

export interface DialogProps {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  /** Buttons row; the dialog's body is a form when onSubmit is given. */
  actions?: ReactNode;
  onSubmit?: () => void;
  wide?: boolean;
  tone?: 'danger' | 'normal';
}

export function Dialog({ title, onClose, children, actions, onSubmit, wide, tone = 'normal' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    // React's autoFocus runs before showModal(), which then moves focus by its
    // own rules; so the dialog itself focuses the control marked data-autofocus
    // (the first field, or "cancel" where a slip of Enter would cost dearly).
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault(); // closing is the parent's decision: it unmounts us
      close.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
    };
  }, []);

  const body = (
    <>
      <div className="dialog-body">{children}</div>
      {actions && <div className="dialog-actions">{actions}</div>}
    </>
  );
  return (
    <dialog ref={ref} className={`dialog${wide ? ' dialog-wide' : ''}${tone === 'danger' ? ' dialog-danger' : ''}`} aria-labelledby={titleId}>
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {onSubmit ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  );
}
