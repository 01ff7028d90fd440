// The start screen. At the station (ingest.view) it is the dock board, with
// the day's two errands (领用, 归还) one tap away; officers without any
// management permission see what the station is for them, the cameras on the
// dock (the public status) and their own history.
import { useSession } from '../../app/context.js';
import { href } from '../../app/route.js';
import type { Route } from '../../app/route.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Permission } from '../../../shared/roles.js';
import { DockBoard } from '../board/DockBoard.js';
import { DockLobby } from '../board/DockLobby.js';
import { MyHistory } from '../custody/MyHistory.js';
import { PendingExportsCard } from '../exports/PendingExportsCard.js';
import { RoleGrantsPanel } from '../people/RoleGrants.js';
import { PendingViewsCard } from '../viewing/PendingViewsCard.js';

// `errand`: officers hold it too; it alone does not make the management start page (their link is in the header).
const CARDS: { route: Route; permission: Permission; title: string; text: string; errand?: boolean }[] = [
  { route: { screen: 'library', query: '' }, permission: 'library.search', title: 'nav.library', text: 'home.libraryText', errand: true },
  { route: { screen: 'people' }, permission: 'people.view', title: 'nav.people', text: 'home.peopleText' },
  { route: { screen: 'devices' }, permission: 'devices.view', title: 'nav.devices', text: 'home.devicesText' },
  { route: { screen: 'audit' }, permission: 'audit.view', title: 'nav.audit', text: 'home.auditText' },
];

export function HomeScreen() {
  const { t } = useI18n();
  const { session, can } = useSession();
  const cards = CARDS.filter((c) => can(c.permission));
  const managing = cards.some((c) => !c.errand);
  return (
    <section className="page">
      <h1 className="screen-title">{t('home.greeting', { name: session.person.name })}</h1>
      {/* Shown on login to whoever may decide them: a grant of a powerful role waits for a second person. */}
      {can('people.confirm_grants') && <RoleGrantsPanel onlyMine />}
      {/* 第十八条: the view requests waiting for the approver, shown on login. */}
      {can('viewing.approve') && <PendingViewsCard />}
      {/* 第二十条: the exports waiting for a department head's approval, shown on login. */}
      {can('export.approve') && <PendingExportsCard />}
      {can('custody.operate') && (
        <div className="errands">
          <a className="btn btn-primary btn-errand" href={href({ screen: 'checkout' })}>
            {t('home.checkout')}
          </a>
          <a className="btn btn-primary btn-errand" href={href({ screen: 'receive' })}>
            {t('home.receive')}
          </a>
        </div>
      )}
      {can('ingest.view') && <DockBoard />}
      {managing ? (
        <>
          <p className="lead">{t('home.choose')}</p>
          <ul className="card-grid">
            {cards.map((c) => (
              <li key={c.title}>
                <a className="card card-link" href={href(c.route)}>
                  <span className="card-link-title">{t(c.title)}</span>
                  <span className="card-link-text">{t(c.text)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div className="card officer-card">
          <p className="lead">{t('home.officerIntro')}</p>
          <ul className="plain-list">
            <li>{t('home.officerDock')}</li>
            <li>{t('home.officerNoCopy')}</li>
            <li>{t('home.officerHelp')}</li>
          </ul>
        </div>
      )}
      {/* Without the board (ingest.view), the public dock status: an officer sees their camera's offload. */}
      {!can('ingest.view') && <DockLobby />}
      {!managing && <MyHistory />}
    </section>
  );
}
