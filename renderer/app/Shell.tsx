// The logged-in frame: header (station, person, language, logout), the
// navigation the person's permissions allow, and the current screen.
import { useEffect, useRef, useState } from 'react';
import type { Permission } from '../../shared/roles.js';
import { AccountDialog } from '../features/account/AccountDialog.js';
import { AuditScreen } from '../features/audit/AuditScreen.js';
import { CamerasScreen } from '../features/custody/CamerasScreen.js';
import { CheckoutScreen } from '../features/custody/CheckoutScreen.js';
import { OverdueScreen } from '../features/custody/OverdueScreen.js';
import { ReceiveScreen } from '../features/custody/ReceiveScreen.js';
import { DeviceDetailScreen } from '../features/devices/DeviceDetailScreen.js';
import { DevicesScreen } from '../features/devices/DevicesScreen.js';
import { ExportScreen } from '../features/exports/ExportScreen.js';
import { ExportsScreen } from '../features/exports/ExportsScreen.js';
import { FaultsScreen } from '../features/faults/FaultsScreen.js';
import { HomeScreen } from '../features/home/HomeScreen.js';
import { ClipScreen } from '../features/library/ClipScreen.js';
import { LibraryScreen } from '../features/library/LibraryScreen.js';
import { NoRecordScreen } from '../features/norecord/NoRecordScreen.js';
import { PeopleScreen } from '../features/people/PeopleScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { OutsideScreen } from '../features/supervision/OutsideScreen.js';
import { GrantsScreen } from '../features/viewing/GrantsScreen.js';
import { RegisterScreen } from '../features/viewing/RegisterScreen.js';
import { RequestsScreen } from '../features/viewing/RequestsScreen.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession, useStation } from './context.js';
import type { Route } from './route.js';
import { href, parseRoute, requiredPermission, useHash } from './route.js';
import { LanguageSwitch } from './ui/LanguageSwitch.js';
import { StationName } from './ui/StationName.js';

interface NavItem {
  route: Route;
  label: string;
  /** null: anyone logged in (an officer files a 第五条 no-recording record for themself). */
  permission: Permission | null;
  /** Other routes that belong under this item (a device's detail under the registry). */
  matches: Route['screen'][];
  /** Open to officers too: without a menu it is a header link (the no-recording record, their own footage). */
  errand?: boolean;
}

const NAV: NavItem[] = [
  { route: { screen: 'checkout' }, label: 'nav.checkout', permission: 'custody.operate', matches: ['checkout'] },
  { route: { screen: 'receive' }, label: 'nav.receive', permission: 'custody.operate', matches: ['receive'] },
  { route: { screen: 'overdue' }, label: 'nav.overdue', permission: 'custody.view', matches: ['overdue'] },
  { route: { screen: 'cameras' }, label: 'nav.cameras', permission: 'custody.view', matches: ['cameras'] },
  { route: { screen: 'faults' }, label: 'nav.faults', permission: 'custody.view', matches: ['faults'] },
  { route: { screen: 'outside' }, label: 'nav.outside', permission: 'custody.view', matches: ['outside'] },
  { route: { screen: 'norecord' }, label: 'nav.norecord', permission: null, matches: ['norecord'], errand: true },
  { route: { screen: 'library', query: '' }, label: 'nav.library', permission: 'library.search', matches: ['library', 'clip'], errand: true },
  // An officer asks to view and sees their grants: both are errands, header links without a menu.
  { route: { screen: 'viewingRequests' }, label: 'nav.viewingRequests', permission: 'viewing.request', matches: ['viewingRequests'], errand: true },
  { route: { screen: 'viewingGrants' }, label: 'nav.viewingGrants', permission: 'viewing.request', matches: ['viewingGrants'], errand: true },
  { route: { screen: 'viewingRegister' }, label: 'nav.viewingRegister', permission: 'viewing.register', matches: ['viewingRegister'] },
  { route: { screen: 'exports' }, label: 'nav.exports', permission: 'export.register', matches: ['exports', 'export'] },
  { route: { screen: 'people' }, label: 'nav.people', permission: 'people.view', matches: ['people'] },
  { route: { screen: 'devices' }, label: 'nav.devices', permission: 'devices.view', matches: ['devices', 'device'] },
  { route: { screen: 'audit' }, label: 'nav.audit', permission: 'audit.view', matches: ['audit'] },
  { route: { screen: 'settings' }, label: 'settings.nav', permission: 'custody.configure', matches: ['settings'] },
];

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'people':
      return <PeopleScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'device':
      return <DeviceDetailScreen id={route.id} />;
    case 'audit':
      return <AuditScreen />;
    case 'checkout':
      return <CheckoutScreen />;
    case 'receive':
      return <ReceiveScreen />;
    case 'overdue':
      return <OverdueScreen />;
    case 'cameras':
      return <CamerasScreen />;
    case 'faults':
      return <FaultsScreen />;
    case 'outside':
      return <OutsideScreen />;
    case 'norecord':
      return <NoRecordScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'library':
      return <LibraryScreen query={route.query} />;
    case 'clip':
      return <ClipScreen id={route.id} />;
    case 'viewingRequests':
      return <RequestsScreen />;
    case 'viewingGrants':
      return <GrantsScreen />;
    case 'viewingRegister':
      return <RegisterScreen />;
    case 'exports':
      return <ExportsScreen />;
    case 'export':
      return <ExportScreen id={route.id} />;
    default:
      return <HomeScreen />;
  }
}

export function Shell({ inert }: { inert: boolean }) {
  const { t } = useI18n();
  const { status } = useStation();
  const { session, can, logout } = useSession();
  const hash = useHash();
  const route = parseRoute(hash);
  const needed = requiredPermission(route);
  const shown: Route = needed === null || can(needed) ? route : { screen: 'home' };
  const items = NAV.filter((item) => item.permission === null || can(item.permission));
  // Officers (no management permission) get no menu, only their errands as
  // header links: the 第五条 no-recording record and their own footage.
  const managing = items.some((item) => !item.errand);
  // A search's filters live in the query: changing one is not a new screen.
  const place = hash.split('?')[0];
  const main = useRef<HTMLElement>(null);
  const [accountOpen, setAccountOpen] = useState(false);
  const first = useRef(true);

  // On a screen change, move focus to the new screen so keyboard and screen
  // reader users start at its top rather than on the link they used.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [place]);

  const person = session.person;
  return (
    <div className="shell" inert={inert}>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        main.current?.focus();
      }}>
        {t('nav.skip')}
      </a>
      <header className="header">
        <div className="header-top">
          <a className="brand" href={href({ screen: 'home' })}>
            <span className="brand-title">{t('app.title')}</span>
            <StationName name={status.stationName} />
          </a>
          <div className="header-person">
            <span className="person-name">{person.name}</span>
            <span className="person-badge">
              {t('common.badge')} {person.badge}
            </span>
            <span className="person-roles">{person.roles.map((r) => t(`roles.${r}`)).join(t('common.listSeparator'))}</span>
          </div>
          <div className="header-actions">
            {!managing &&
              items.map((item) => (
                <a key={item.label} className="btn btn-header" href={href(item.route)} aria-current={item.matches.includes(shown.screen) ? 'page' : undefined}>
                  {t(item.label)}
                </a>
              ))}
            <LanguageSwitch />
            <button type="button" className="btn btn-header" onClick={() => setAccountOpen(true)}>
              {t('header.account')}
            </button>
            <button type="button" className="btn btn-header" onClick={logout}>
              {t('header.logout')}
            </button>
          </div>
        </div>
        {managing && (
          <nav className="nav" aria-label={t('nav.label')}>
            <a className="nav-link" href={href({ screen: 'home' })} aria-current={shown.screen === 'home' ? 'page' : undefined}>
              {t('nav.home')}
            </a>
            {items.map((item) => (
              <a
                key={item.label}
                className="nav-link"
                href={href(item.route)}
                aria-current={item.matches.includes(shown.screen) ? 'page' : undefined}
              >
                {t(item.label)}
              </a>
            ))}
          </nav>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <Screen route={shown} />
      </main>
      {accountOpen && <AccountDialog onClose={() => setAccountOpen(false)} />}
    </div>
  );
}
