// Alarms on the board: what went wrong, on which camera, and the one action
// that settles it (register the camera on the spot, or resolve with a note).
// Overdue checkouts (第十五条) are listed with them: they need the same
// attention from whoever stands at the station.
import { useState } from 'react';
import type { OverdueCheckout } from '../../../shared/custody.js';
import { alarmResolvePermission, type Alarm } from '../../../shared/ingest.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { useI18n } from '../../i18n/i18n.js';
import { alarmText } from './alarm-text.js';
import { duration } from './format.js';
import { RegisterFromAlarmDialog } from './RegisterFromAlarmDialog.js';

export function AlarmList({
  alarms,
  overdue,
  asOf,
  onResolved,
}: {
  alarms: Alarm[];
  overdue: OverdueCheckout[];
  asOf: number | null;
  /** Resolving sends no event of its own: the board reloads when told. */
  onResolved(): void;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const time = useStationTime();
  const [resolving, setResolving] = useState<Alarm | null>(null);
  const [registering, setRegistering] = useState<Alarm | null>(null);
  if (alarms.length === 0 && overdue.length === 0) return null;
  return (
    <div className="alarms" role="region" aria-label={t('board.alarms')}>
      <ul className="alarm-list">
        {alarms.map((a) => (
          <li key={a.id} className="alarm">
            <div className="alarm-text">
              <strong className="alarm-kind">{t(`board.alarm.${a.kind}`)}</strong>
              <span className="alarm-detail">
                {a.serial && <span className="mono">{a.serial} · </span>}
                {alarmText(t, a)}
              </span>
              <span className="muted">{time(a.raisedAt)}</span>
            </div>
            <div className="button-row">
              {a.kind === 'unregistered_device' && a.dockSessionId !== null && can('devices.manage') && can('ingest.control') && (
                <button type="button" className="btn btn-primary" onClick={() => setRegistering(a)}>
                  {t('board.registerNow')}
                </button>
              )}
              {can(alarmResolvePermission[a.kind]) && (
                <button type="button" className="btn btn-secondary" onClick={() => setResolving(a)}>
                  {t('board.resolve')}
                </button>
              )}
            </div>
          </li>
        ))}
        {overdue.map((c) => (
          <li key={`overdue-${c.id}`} className="alarm">
            <div className="alarm-text">
              <strong className="alarm-kind">{t('board.alarm.overdue')}</strong>
              <span>
                <span className="mono">{c.device.serial}</span> ·{' '}
                {t('board.overdueText', { officer: t('common.personRef', { name: c.officer.name, badge: c.officer.badge }), late: duration(t, asOf !== null ? asOf - c.deadlineAt : c.overdueMs) })}
              </span>
              <span className="muted">{t('custody.deadline', { at: time(c.deadlineAt) })}</span>
            </div>
          </li>
        ))}
      </ul>
      {resolving && (
        <ConfirmDialog
          title={t('board.resolveTitle', { kind: t(`board.alarm.${resolving.kind}`) })}
          confirmLabel={t('board.resolve')}
          reason={{ label: t('board.resolveNote') }}
          onCancel={() => setResolving(null)}
          onConfirm={async (note) => {
            const r = await client.call('alarms.resolve', { id: resolving.id, resolution: note });
            if (r.ok) {
              setResolving(null);
              onResolved();
            }
            return r.ok ? null : r.error;
          }}
        >
          <span className="alarm-detail">
            {resolving.serial ?? ''} {alarmText(t, resolving)}
          </span>
        </ConfirmDialog>
      )}
      {registering && registering.dockSessionId !== null && (
        <RegisterFromAlarmDialog
          serial={registering.serial ?? ''}
          dockSessionId={registering.dockSessionId}
          onClose={() => setRegistering(null)}
        />
      )}
    </div>
  );
}
