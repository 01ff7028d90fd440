// 归还: the custodian takes a camera back. Offloaded checkouts (footage safely
// in the vault) come first; a camera still with its footage on it can only be
// received as damaged (its fault is opened and its deadline keeps running).
// An officer still out on continuous, away or remote work gets the 第十五条
// exception declared from the same list, before the deadline passes.
import { useState } from 'react';
import type { CheckoutView } from '../../../shared/custody.js';
import { useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField, TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckoutTable } from './CheckoutTable.js';
import { declaredText, useDeclareException } from './DeclareExceptionDialog.js';

const REFRESH = ['custody.changed', 'custody.overdue', 'dock.changed', 'dock.detached'] as const;

export function ReceiveScreen() {
  const { t } = useI18n();
  const offloaded = useQuery('custody.list', { status: 'offloaded' }, { refreshOn: REFRESH });
  const open = useQuery('custody.list', { status: 'open' }, { refreshOn: REFRESH });
  const [receiving, setReceiving] = useState<CheckoutView | null>(null);
  const [received, setReceived] = useState<string | null>(null);
  const time = useStationTime();
  const declare = useDeclareException((detail) => setReceived(declaredText(t, time, detail)));
  const openList = open.result?.ok ? open.result.value : null;

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
      {openList && (
        <CheckoutTable
          label={t('receive.open')}
          checkouts={openList.checkouts}
          asOf={openList.asOf}
          empty={t('receive.noneOpen')}
          action={(c) => (
            <div className="row-actions">
              {declare.button(c, openList.asOf)}
              <button type="button" className="btn btn-secondary" onClick={() => setReceiving(c)}>
                {t('receive.damagedButton', { serial: c.device.serial })}
              </button>
            </div>
          )}
        />
      )}
      {declare.dialog}
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
  const { busy, error, fieldError, run } = useSubmit();

  const submit = () => {
    const input = {
      checkoutId: checkout.id,
      condition,
      ...(condition === 'damaged' ? { damage, outOfService } : {}),
      ...(note.trim() ? { note } : {}),
    };
    void run(
      () => client.call('custody.receive', input),
      (received) => {
        const late = received.lateMs !== null && received.lateMs > 0;
        onDone(t(late ? 'receive.doneLate' : 'receive.doneInTime', { serial: received.device.serial, deadline: time(received.deadlineAt) }));
      },
    );
  };

  return (
    <Dialog
      title={t('receive.dialogTitle', { serial: checkout.device.serial })}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('receive.confirm')} busy={busy} disabled={condition === 'damaged' && !damage.trim()} onCancel={onClose} />}
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
          <NoteField label={t('receive.damage')} hint={t('receive.damageHint')} value={damage} onChange={setDamage} error={fieldError('damage')} />
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
