// 归还: the custodian takes a camera back. Offloaded checkouts (footage safely
// in the vault) come first; a camera still with its footage on it can only be
// received as damaged (its fault is opened and its deadline keeps running).
// An officer still out on continuous, away or remote work gets the 第十五条
// exception declared from the same list, before the deadline passes.
import { useState } from 'react';
import type { CheckoutView } from '../../../shared/custody.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useSession, useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckoutTable } from './CheckoutTable.js';
import { DeclareExceptionDialog, declaredText, mayDeclareException } from './DeclareExceptionDialog.js';

const REFRESH = ['custody.changed', 'custody.overdue', 'dock.changed', 'dock.detached'] as const;

export function ReceiveScreen() {
  const { t } = useI18n();
  const offloaded = useQuery('custody.list', { status: 'offloaded' }, { refreshOn: REFRESH });
  const open = useQuery('custody.list', { status: 'open' }, { refreshOn: REFRESH });
  const [receiving, setReceiving] = useState<CheckoutView | null>(null);
  const [received, setReceived] = useState<string | null>(null);
  const [declaring, setDeclaring] = useState<{ checkout: CheckoutView; asOf: number } | null>(null);
  const { can } = useSession();
  const time = useStationTime();

  return (
    <section className="page">
      <h1 className="screen-title">{t('receive.title')}</h1>
      <p className="lead">{t('receive.intro')}</p>
      {received && (
        <p className="alert alert-ok" role="status">
          {received}
        </p>
      )}
      <h2 className="section-title">{t('receive.offloaded')}</h2>
      {offloaded.result && !offloaded.result.ok && <ErrorAlert error={offloaded.result.error} />}
      {offloaded.result?.ok && (
        <CheckoutTable
          label={t('receive.offloaded')}
          checkouts={offloaded.result.value.checkouts}
          asOf={offloaded.result.value.asOf}
          empty={t('receive.noneOffloaded')}
          action={(c) => (
            <button type="button" className="btn btn-primary" onClick={() => setReceiving(c)}>
              {t('receive.button', { serial: c.device.serial })}
            </button>
          )}
        />
      )}
      <h2 className="section-title">{t('receive.open')}</h2>
      <p className="muted">{t('receive.openHint')}</p>
      {open.result && !open.result.ok && <ErrorAlert error={open.result.error} />}
      {open.result?.ok && (
        <CheckoutTable
          label={t('receive.open')}
          checkouts={open.result.value.checkouts}
          asOf={open.result.value.asOf}
          empty={t('receive.noneOpen')}
          action={(c) => (
            <div className="row-actions">
              {mayDeclareException(c, can) && (
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={() => open.result?.ok && setDeclaring({ checkout: c, asOf: open.result.value.asOf })}
                >
                  {t('exception.button')}
                  <span className="visually-hidden"> {c.device.serial}</span>
                </button>
              )}
              <button type="button" className="btn btn-secondary" onClick={() => setReceiving(c)}>
                {t('receive.damagedButton', { serial: c.device.serial })}
              </button>
            </div>
          )}
        />
      )}
      {declaring && (
        <DeclareExceptionDialog
          checkout={declaring.checkout}
          asOf={declaring.asOf}
          onClose={() => setDeclaring(null)}
          onDone={(detail) => {
            setDeclaring(null);
            setReceived(declaredText(t, time, detail));
          }}
        />
      )}
      {receiving && (
        <ReceiveDialog
          checkout={receiving}
          onClose={() => setReceiving(null)}
          onDone={(text) => {
            setReceiving(null);
            setReceived(text);
          }}
        />
      )}
    </section>
  );
}

function ReceiveDialog({ checkout, onClose, onDone }: { checkout: CheckoutView; onClose(): void; onDone(text: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const time = useStationTime();
  const offloaded = checkout.status === 'offloaded';
  const [condition, setCondition] = useState<'good' | 'damaged'>(offloaded ? 'good' : 'damaged');
  const [damage, setDamage] = useState('');
  const [outOfService, setOutOfService] = useState(true);
  const [note, setNote] = useState('');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  const submit = async () => {
    setBusy(true);
    const r = await client.call('custody.receive', {
      checkoutId: checkout.id,
      condition,
      ...(condition === 'damaged' ? { damage, outOfService } : {}),
      ...(note.trim() ? { note } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const late = r.value.lateMs !== null && r.value.lateMs > 0;
    onDone(t(late ? 'receive.doneLate' : 'receive.doneInTime', { serial: r.value.device.serial, deadline: time(r.value.deadlineAt) }));
  };

  return (
    <Dialog
      title={t('receive.dialogTitle', { serial: checkout.device.serial })}
      onClose={onClose}
      onSubmit={() => void submit()}
      wide
      actions={
        <>
          <button type="submit" className="btn btn-primary" disabled={busy || (condition === 'damaged' && !damage.trim())}>
            {busy ? t('common.working') : t('receive.confirm')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} />
      <p className="big-line">
        {t('common.personRef', { name: checkout.officer.name, badge: checkout.officer.badge })} · {t('receive.since', { at: time(checkout.checkedOutAt) })}
      </p>
      {!offloaded && <p className="alert alert-warn">{t('receive.notOffloaded')}</p>}
      <fieldset className="fieldset">
        <legend className="field-label">{t('receive.condition')}</legend>
        <div className="check-grid">
          <label className="check-tile choice-tile">
            <input type="radio" name="condition" checked={condition === 'good'} disabled={!offloaded} onChange={() => setCondition('good')} />
            <span className="check-tile-title">{t('receive.good')}</span>
          </label>
          <label className="check-tile choice-tile">
            <input type="radio" name="condition" checked={condition === 'damaged'} onChange={() => setCondition('damaged')} />
            <span className="check-tile-title">{t('receive.damaged')}</span>
          </label>
        </div>
      </fieldset>
      {condition === 'damaged' && (
        <>
          <TextArea label={t('receive.damage')} hint={t('receive.damageHint')} value={damage} onChange={(e) => setDamage(e.target.value)} error={fieldError('damage')} maxLength={500} rows={3} />
          <label className="check-inline">
            <input type="checkbox" checked={outOfService} onChange={(e) => setOutOfService(e.target.checked)} />
            <span>{t('receive.outOfService')}</span>
          </label>
        </>
      )}
      <TextArea label={t('fields.note')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} />
    </Dialog>
  );
}
