// A new one-time PIN is shown exactly once: the core keeps only its hash, and
// closing this dialog forgets it. It is meant for the eyes of the person it
// belongs to (issue 19): the dialog hides it until that person, handed the
// screen, taps to show it, so the one who issued it need not see it. The person
// must replace it at first login, and the audit log names who issued it.
import { useState } from 'react';
import type { Person } from '../../../shared/domain.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { useI18n } from '../../i18n/i18n.js';

export function OneTimePinDialog({ person, pin, onClose, reset }: { person: Person; pin: string; onClose(): void; reset?: boolean }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  const who = { name: person.name, badge: person.badge };
  return (
    <Dialog
      title={reset ? t('people.pin.resetTitle') : t('people.pin.createdTitle')}
      onClose={onClose}
      actions={
        shown ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>
            {t('people.pin.done')}
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {t('people.pin.closeUnseen')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setShown(true)} data-autofocus>
              {t('people.pin.show', who)}
            </button>
          </>
        )
      }
    >
      {shown ? (
        <>
          <p className="lead">{t('people.pin.for', who)}</p>
          <div className="one-time-pin">
            <span className="one-time-pin-label">{t('people.pin.label')}</span>
            <output className="one-time-pin-value" data-testid="one-time-pin">
              {pin}
            </output>
          </div>
          <PinRules />
        </>
      ) : (
        <>
          <p className="lead">{t('people.pin.handScreen', who)}</p>
          <PinRules notForIssuer />
        </>
      )}
    </Dialog>
  );
}

/** What holds for every one-time PIN, said before and after it is shown. */
function PinRules({ notForIssuer = false }: { notForIssuer?: boolean }) {
  const { t } = useI18n();
  return (
    <ul className="plain-list">
      {notForIssuer && <li>{t('people.pin.notForIssuer')}</li>}
      <li>{t('people.pin.mustChange')}</li>
      <li>
        <strong>{t('people.pin.onlyOnce')}</strong>
      </li>
    </ul>
  );
}
