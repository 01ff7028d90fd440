// The station's rule for approval (第二十条): by default 综合处's evidence discs for a case are
// approved by being made (第十七条); a head may have every export wait for a head instead.
import { useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useSession, useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';

export function ApprovalSetting() {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const settings = useQuery('exports.settings', {}, { refreshOn: ['audit.appended'] });
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  if (!settings.result) return null;
  if (!settings.result.ok) return <ErrorAlert error={settings.result.error} />;
  const all = settings.result.value.requireApprovalForAll;
  if (!can('export.approve')) return <p className="muted">{t(all ? 'exports.setting.allOn' : 'exports.setting.allOff')}</p>;
  const change = async (next: boolean) => {
    setBusy(true);
    const r = await client.call('exports.updateSettings', { requireApprovalForAll: next });
    setBusy(false);
    setError(r.ok ? null : r.error);
    settings.reload();
  };
  return (
    <section className="card" aria-labelledby="exports-rule">
      <h2 id="exports-rule" className="section-title">
        {t('exports.setting.title')}
      </h2>
      <ErrorAlert error={error} />
      <label className="check-tile">
        <input type="checkbox" checked={all} disabled={busy} onChange={(e) => void change(e.target.checked)} />
        <span>
          <span className="check-tile-title">{t('exports.setting.label')}</span>
          <span className="check-tile-text">{t('exports.setting.hint')}</span>
        </span>
      </label>
    </section>
  );
}
