// The dock status for anyone at the station, logged in or not: the login and
// lock screens and an officer's home. The officer who docks at the end of a
// shift sees the offload run and "可以取走", and goes home (DESIGN.md), with no
// one logged in. It shows only what the public call gives (the camera's
// serial, its state and progress): the keeper, the binding, files and failure
// reasons stay on the board, behind ingest.view.
import type { DockLobbyView } from '../../../shared/ingest.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockCardFrame } from './DockCardFrame.js';
import type { CardProgress } from './phase.js';
import { cardFiles, phaseOf, phaseText } from './phase.js';
import { UnrecognizedDevices } from './UnrecognizedDevices.js';
import { useLiveProgress } from './useLiveProgress.js';

export function DockLobby() {
  const { t } = useI18n();
  const lobby = useQuery('dock.lobby', {}, {
    refreshOn: ['dock.attached', 'dock.identified', 'dock.detached', 'dock.changed', 'ingest.fileChanged', 'devices.changed', 'alarm.raised', 'alarm.resolved'],
  });
  const progress = useLiveProgress();
  const docks = lobby.result?.ok ? lobby.result.value.docks : [];
  const vaultDown = lobby.result?.ok === true && !lobby.result.value.vaultAvailable;
  return (
    <section className="board lobby" aria-labelledby="lobby-title">
      <h2 id="lobby-title" className="section-title">
        {t('board.title')}
      </h2>
      {lobby.result && !lobby.result.ok && <ErrorAlert error={lobby.result.error} />}
      {vaultDown && (
        <p className="lobby-vault-down" role="status">
          {t('lobby.vaultUnavailable')}
        </p>
      )}
      <UnrecognizedDevices />
      {lobby.result?.ok && docks.length === 0 && <p className="board-empty">{t('board.empty')}</p>}
      {docks.length > 0 && (
        <ul className="dock-grid" aria-label={t('board.docked')}>
          {docks.map((d) => (
            <li key={d.id}>
              <LobbyCard dock={d} progress={d.state === 'ingesting' ? (progress[d.id] ?? d.progress) : null} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LobbyCard({ dock, progress }: { dock: DockLobbyView; progress: CardProgress | null }) {
  const { t } = useI18n();
  const phase = phaseOf(dock.state, progress);
  const serial = dock.serial ?? t('lobby.unknownCamera');
  return (
    <DockCardFrame
      headingId={`lobby-${dock.id}-serial`}
      serial={serial}
      phase={phase}
      stateText={phaseText(t, phase, cardFiles(progress, dock))}
      progress={progress}
      filesCommitted={dock.filesCommitted}
      filesDuplicate={dock.filesDuplicate}
      unregisteredHint={t('lobby.unregisteredHint')}
    />
  );
}
