// The player for a clip known only by id (a list's 播放: the 领用外录像 review, a case's clips):
// fetches what the player needs (library.clip) and opens the view at once.
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { Player } from './Player.js';

export function ClipPlayer({ clipId }: { clipId: number }) {
  const { t } = useI18n();
  const clip = useQuery('library.clip', { id: clipId, historyLimit: 1 });
  if (!clip.result) return <p className="muted">{t('common.working')}</p>;
  if (!clip.result.ok) return <ErrorAlert error={clip.result.error} />;
  return <Player key={clipId} clip={clip.result.value} autoOpen />;
}
