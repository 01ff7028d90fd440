// 第十五条's exception declared after the camera went out: the officer is on
// continuous work, away from the unit or in a remote area and cannot hand the
// footage over the same day; it is then due 24 hours after the return to the
// unit. Before the deadline a custodian declares it; once the deadline has
// passed only 综合处 may (the core enforces both, this dialog says which).
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { CheckoutDetail, CheckoutView } from '../../../shared/custody.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import type { Permission } from '../../../shared/roles.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import type { Translate } from '../../i18n/i18n.js';
import { useI18n } from '../../i18n/i18n.js';
import type { ExceptionDraft } from './ExceptionFields.js';
import { ExceptionFields, NO_EXCEPTION, exceptionComplete } from './ExceptionFields.js';
import { localInput } from './time.js';

/**
 * Whether the person may declare an exception on this checkout now: it must
 * still await its offload, and once overdue it takes 综合处 (custody.override).
 */
export function mayDeclareException(c: CheckoutView, can: (p: Permission) => boolean): boolean {
  if (c.status !== 'open' || c.offloadedAt !== null || !can('custody.operate')) return false;
  return !c.overdue || can('custody.override');
}

/**
 * For a list of checkouts: each row's button (nothing where the person may not
 * declare) and, while one is chosen, the dialog. `asOf` is the core's clock
 * when the list was read; `onDeclared` gets the checkout with its new deadline.
 */
export function useDeclareException(onDeclared: (detail: CheckoutDetail) => void): {
  button(checkout: CheckoutView, asOf: number): ReactNode;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const { can } = useSession();
  const [declaring, setDeclaring] = useState<{ checkout: CheckoutView; asOf: number } | null>(null);
  return {
    button: (checkout, asOf) =>
      mayDeclareException(checkout, can) && (
        <button type="button" className="btn btn-secondary" onClick={() => setDeclaring({ checkout, asOf })}>
          {t('exception.button')}
          <span className="visually-hidden"> {checkout.device.serial}</span>
        </button>
      ),
    dialog: declaring && (
      <DeclareExceptionDialog
        checkout={declaring.checkout}
        asOf={declaring.asOf}
        onClose={() => setDeclaring(null)}
        onDone={(detail) => {
          setDeclaring(null);
          onDeclared(detail);
        }}
      />
    ),
  };
}

/** The status sentence once declared: whose checkout, and its new deadline. */
export function declaredText(t: Translate, time: (ms: number) => string, c: CheckoutView): string {
  return t('exception.done', {
    officer: t('common.personRef', { name: c.officer.name, badge: c.officer.badge }),
    serial: c.device.serial,
    deadline: time(c.deadlineAt),
  });
}

function DeclareExceptionDialog({
  checkout,
  asOf,
  onClose,
  onDone,
}: {
  checkout: CheckoutView;
  /** The core's clock when the list was read: the return defaults to it (the officer is back now). */
  asOf: number;
  onClose(): void;
  onDone(detail: CheckoutDetail): void;
}) {
  const { t } = useI18n();
  const { client, status } = useStation();
  const time = useStationTime();
  const [draft, setDraft] = useState<ExceptionDraft>(() => ({ ...NO_EXCEPTION, declaredReturn: localInput(asOf, status.timeZone) }));
  const { busy, error, fieldError, run } = useSubmit();
  const officer = t('common.personRef', { name: checkout.officer.name, badge: checkout.officer.badge });
  const ready = exceptionComplete(draft);
  const anchor = useRef<HTMLParagraphElement>(null);

  // The dialog is taller than a small screen and its body scrolls: a refusal
  // must not stay above the fold. Show the field it is about, or else the alert.
  useEffect(() => {
    if (!error) return;
    const body = anchor.current?.closest('.dialog-body');
    const target = body?.querySelector('.field-invalid') ?? body?.querySelector('[role="alert"]');
    target?.scrollIntoView({ block: 'nearest' });
  }, [error]);

  /** The core's refusals this form can meet, each in words that say what to do next. */
  const explain = (e: StationErrorBody): string | undefined => {
    // The deadline passed while the dialog was open: only 综合处 may record a late exception.
    if (e.code === 'forbidden' && (e.details as { permission?: unknown } | undefined)?.permission === 'custody.override') {
      return t('exception.forbiddenAfterDeadline');
    }
    if (e.code === 'invalid_state') return t('exception.alreadyOffloaded');
    return undefined;
  };

  const submit = () => {
    if (!exceptionComplete(draft)) return;
    const input = { checkoutId: checkout.id, kind: draft.kind, reason: draft.reason, declaredReturn: draft.declaredReturn };
    void run(() => client.call('custody.declareException', input), onDone);
  };

  return (
    <Dialog
      title={t('exception.title', { serial: checkout.device.serial })}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('exception.confirm')} busy={busy} disabled={!ready} onCancel={onClose} />}
    >
      <ErrorAlert error={error} text={error ? explain(error) : undefined} />
      <p className="big-line" ref={anchor}>
        {officer} · {t('exception.since', { at: time(checkout.checkedOutAt) })}
      </p>
      <dl className="facts">
        <dt>{t('exception.currentDeadline')}</dt>
        <dd>
          {time(checkout.deadlineAt)}
          {checkout.overdue && <span className="tag tag-bad">{t('custody.overdue')}</span>}
        </dd>
        {checkout.exception && (
          <>
            <dt>{t('exception.declared')}</dt>
            <dd>
              {t('exception.declaredText', {
                kind: t(`offloadException.${checkout.exception.kind}`),
                at: time(checkout.exception.declaredReturnAt),
                by: checkout.exception.declaredBy,
              })}
            </dd>
          </>
        )}
      </dl>
      <p className="muted">{t('exception.rule')}</p>
      {checkout.overdue && <p className="alert alert-warn">{t('exception.afterDeadline')}</p>}
      {checkout.exception && <p className="muted">{t('exception.replaces')}</p>}
      <ExceptionFields
        value={draft}
        onChange={setDraft}
        minReturn={localInput(checkout.checkedOutAt, status.timeZone)}
        errors={{ reason: fieldError('reason'), declaredReturn: fieldError('declaredReturn') ? t('exception.declaredReturnInvalid') : undefined }}
        autoFocus
      />
    </Dialog>
  );
}
