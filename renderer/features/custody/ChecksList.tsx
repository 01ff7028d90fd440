// 第七条 pre-shift checks, each with what was measured against which limit.
// A value the station could not read is confirmed by the custodian looking at
// the camera; a failed check names who may let the camera out anyway.
import type { ConfirmableCheck, PreShiftCheck } from '../../../shared/custody.js';
import { confirmableChecks } from '../../../shared/custody.js';
import type { Translate } from '../../i18n/i18n.js';
import { useI18n } from '../../i18n/i18n.js';

const GB = 1024 ** 3;

function measured(t: Translate, c: PreShiftCheck): string {
  if (c.value === null) return c.check === 'fault' ? '—' : t('checks.noValue');
  switch (c.check) {
    case 'battery':
      return t('checks.value.battery', { value: c.value, limit: c.limit ?? '—' });
    case 'free_space':
      return t('checks.value.free_space', { value: (c.value / GB).toFixed(1), limit: c.limit === null ? '—' : (c.limit / GB).toFixed(1) });
    case 'clock':
      return t('checks.value.clock', { value: Math.round(c.value / 1000), limit: c.limit === null ? '—' : Math.round(c.limit / 1000) });
    case 'footage':
      return t('checks.value.footage', { value: c.value });
    case 'fault':
      return t('checks.value.fault', { value: c.value });
  }
}

export function isConfirmable(c: PreShiftCheck): c is PreShiftCheck & { check: ConfirmableCheck } {
  return c.confirmable && (confirmableChecks as readonly string[]).includes(c.check);
}

export function ChecksList({
  checks,
  confirmed,
  onConfirm,
}: {
  checks: PreShiftCheck[];
  confirmed: ReadonlySet<ConfirmableCheck>;
  onConfirm(check: ConfirmableCheck, yes: boolean): void;
}) {
  const { t } = useI18n();
  return (
    <ul className="check-list" aria-label={t('checks.title')}>
      {checks.map((c) => {
        const ok = c.result === 'pass' || (isConfirmable(c) && confirmed.has(c.check));
        const tone = c.result === 'pass' ? 'tag tag-ok' : c.result === 'fail' ? 'tag tag-bad' : ok ? 'tag tag-ok' : 'tag tag-warn';
        const label = c.result === 'pass' ? t('checks.pass') : c.result === 'fail' ? t('checks.fail') : ok ? t('checks.confirmed') : t('checks.unknown');
        return (
          <li key={c.check} className={`check-row check-row-${ok ? 'ok' : c.result}`} data-check={c.check}>
            <span className="check-name">{t(`checks.kind.${c.check}`)}</span>
            <span className="check-value">{measured(t, c)}</span>
            <span className={tone}>{label}</span>
            <span className="check-reason">{t(`checks.reason.${c.reason}`)}</span>
            {isConfirmable(c) && c.result === 'unknown' && (
              <label className="check-inline check-confirm">
                <input type="checkbox" checked={confirmed.has(c.check)} onChange={(e) => onConfirm(c.check, e.target.checked)} />
                <span>{t(`checks.confirm.${c.check}`)}</span>
              </label>
            )}
            {c.result === 'fail' && <span className="check-who">{c.overridable ? t('checks.overrideWho') : t('checks.noOverride')}</span>}
          </li>
        );
      })}
    </ul>
  );
}
