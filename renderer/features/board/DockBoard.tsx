// The dock board (接入台): one large card per camera on the station, its
// offload progress, and a big "可以取走" when its footage is safely in the
// vault; alarms and overdue checkouts above. Everything follows core events
// (dock.*, ingest.*, alarm.*, custody.*): the board never polls. A new alarm
// can also sound a short tone, where the station's settings ask for it.
import type { DockSessionView } from '../../../shared/ingest.js';
import { useSession } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { AlarmList } from './AlarmList.js';
import { DockCard } from './DockCard.js';
import { UnrecognizedDevices } from './UnrecognizedDevices.js';
import { useAlarmTone, useNewKeys } from './useAlarmTone.js';
import { useLiveProgress } from './useLiveProgress.js';

export function DockBoard() {
  const { t } = useI18n();
  const { can } = useSession();
  const board = useQuery('dock.board', {}, {
    refreshOn: ['dock.attached', 'dock.identified', 'dock.detached', 'dock.changed', 'ingest.fileChanged', 'alarm.raised', 'alarm.resolved', 'devices.changed', 'custody.changed'],
  });
  const overdue = useQuery('custody.overdue', {}, { refreshOn: ['custody.changed', 'custody.overdue'], enabled: can('custody.view') });
  const progress = useLiveProgress();

  const docks: DockSessionView[] = board.result?.ok ? board.result.value.docks : [];
  const alarms = board.result?.ok ? board.result.value.alarms : [];
  const late = overdue.result?.ok ? overdue.result.value : null;
  const ring = useAlarmTone();
  useNewKeys(board.result?.ok ? alarms.map((a) => String(a.id)) : null, ring);
  useNewKeys(late ? late.checkouts.map((c) => String(c.id)) : null, ring);

  return (
    <section className="board" aria-labelledby="board-title">
      <h2 id="board-title" className="section-title">
        {t('board.title')}
      </h2>
      {board.result && !board.result.ok && <ErrorAlert error={board.result.error} />}
      <UnrecognizedDevices />
      <AlarmList alarms={alarms} overdue={late?.checkouts ?? []} asOf={late?.asOf ?? null} onResolved={board.reload} />
      {board.result?.ok && docks.length === 0 && <p className="board-empty">{t('board.empty')}</p>}
      <ul className="dock-grid" aria-label={t('board.docked')}>
        {docks.map((d) => (
          <li key={d.id}>
            <DockCard
              dock={d}
              progress={d.state === 'ingesting' ? (progress[d.id] ?? d.progress) : null}
              footageUnreadable={alarms.some((a) => a.kind === 'footage_unreadable' && a.dockSessionId === d.id)}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
