// A new one-time PIN is shown exactly once: the core keeps only its hash, and
// closing this dialog forgets it. The person must replace it at first login.
import type { Person } from '../../../shared/domain.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { useI18n } from '../../i18n/i18n.js';

export function OneTimePinDialog({ person, pin, onClose, reset }: { person: Person; pin: string; onClose(): void; reset?: boolean }) {
  const { t } = useI18n();
  return (
    <Dialog
      title={reset ? t('people.pin.resetTitle') : t('people.pin.createdTitle')}
      onClose={onClose}
      actions={
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>
          {t('people.pin.done')}
        </button>
      }
    >
      <p className="lead">{t('people.pin.for', { name: person.name, badge: person.badge })}</p>
      <div className="one-time-pin">
        <span className="one-time-pin-label">{t('people.pin.label')}</span>
        <output className="one-time-pin-value" data-testid="one-time-pin">
          {pin}
        </output>
      </div>
      <ul className="plain-list">
        <li>{t('people.pin.handOver')}</li>
        <li>{t('people.pin.mustChange')}</li>
        <li>
          <strong>{t('people.pin.onlyOnce')}</strong>
        </li>
      </ul>
    </Dialog>
  );
}
