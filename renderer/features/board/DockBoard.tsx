// The dock board (接入台): one large card per camera on the station, its
// offload progress, and a big "可以取走" when its footage is safely in the
// vault; alarms and overdue checkouts above. Everything follows core events
// (dock.*, ingest.*, alarm.*, custody.*): the board never polls. A new alarm
// can also sound a short tone, where the station's settings ask for it.
import { useEffect, useState } from 'react';
import type { DockSessionView, IngestProgress } from '../../../shared/ingest.js';
import { useSession, useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { AlarmList } from './AlarmList.js';
import { DockCard } from './DockCard.js';
import { useAlarmTone, useNewKeys } from './useAlarmTone.js';

export function DockBoard() {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const board = useQuery('dock.board', {}, {
    refreshOn: ['dock.attached', 'dock.identified', 'dock.detached', 'dock.changed', 'ingest.fileChanged', 'alarm.raised', 'alarm.resolved', 'devices.changed', 'custody.changed'],
  });
  const overdue = useQuery('custody.overdue', {}, { refreshOn: ['custody.changed', 'custody.overdue'], enabled: can('custody.view') });
  // The latest progress of each running offload, straight from the events.
  const [progress, setProgress] = useState<Record<number, IngestProgress>>({});
  useEffect(() => client.on('ingest.progress', (p) => setProgress((m) => ({ ...m, [p.dockSessionId]: p }))), [client]);

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
      <AlarmList alarms={alarms} overdue={late?.checkouts ?? []} asOf={late?.asOf ?? null} onResolved={board.reload} />
      {board.result?.ok && docks.length === 0 && <p className="board-empty">{t('board.empty')}</p>}
      <ul className="dock-grid" aria-label={t('board.docked')}>
        {docks.map((d) => (
          <li key={d.id}>
            <DockCard dock={d} progress={d.state === 'ingesting' ? (progress[d.id] ?? d.progress) : null} />
          </li>
        ))}
      </ul>
    </section>
  );
}
