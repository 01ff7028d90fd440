// Over the picture while it plays (第十八条): who is viewing, under which grant, and the time now
// (the station's, run on from when the view opened), so a photograph of the screen says who
// looked and when. Not selectable, not in the way of the controls.
import { useEffect, useState } from 'react';
import type { ViewOpened } from '../../../shared/viewing.js';
import { useStationTime } from '../../app/context.js';
import { useI18n } from '../../i18n/i18n.js';

export function ViewOverlay({ view }: { view: ViewOpened }) {
  const { t } = useI18n();
  const time = useStationTime();
  const [shownAt] = useState(() => performance.now());
  const [at, setAt] = useState(view.openedAt);
  useEffect(() => {
    const timer = window.setInterval(() => setAt(view.openedAt + Math.round(performance.now() - shownAt)), 1000);
    return () => window.clearInterval(timer);
  }, [view.openedAt, shownAt]);
  return (
    // Hidden from screen readers: the same facts are in the player's caption, said once.
    <div className="view-overlay" aria-hidden="true" data-testid="view-overlay">
      <span>{t('common.personRef', { name: view.viewer.name, badge: view.viewer.badge })}</span>
      <span>{view.grantId === null ? t('player.ownFootage') : t('player.grantNo', { id: view.grantId })}</span>
      <span className="mono">{time(at)}</span>
    </div>
  );
}
