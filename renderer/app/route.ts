// A hash route per screen (#/people, #/devices/12): the back button works,
// and a reload inside Electron or the harness stays on the same screen.
import { useSyncExternalStore } from 'react';
import type { Permission } from '../../shared/roles.js';

export type Route =
  | { screen: 'home' }
  | { screen: 'people' }
  | { screen: 'devices' }
  | { screen: 'device'; id: number }
  | { screen: 'audit' }
  | { screen: 'checkout' }
  | { screen: 'receive' }
  | { screen: 'overdue' }
  | { screen: 'cameras' }
  | { screen: 'norecord' }
  | { screen: 'faults' }
  | { screen: 'outside' }
  | { screen: 'settings' }
  /** `query`: the library's filters as URL search parameters, so a search can be reopened. */
  | { screen: 'library'; query: string }
  | { screen: 'clip'; id: number }
  /** Viewing under approval (第十八、十九条): requests, grants, the view register. */
  | { screen: 'viewingRequests' }
  | { screen: 'viewingGrants' }
  | { screen: 'viewingRegister' }
  /** Evidence discs (第十七、二十条): the export register, and one export's page. */
  | { screen: 'exports' }
  | { screen: 'export'; id: number };

/** #/viewing/<page>: each viewing screen's path. */
const VIEWING_PATHS = { requests: 'viewingRequests', grants: 'viewingGrants', register: 'viewingRegister' } as const;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'library':
      return { screen: 'library', query };
    case 'clips': {
      const id = Number(parts[1]);
      return Number.isSafeInteger(id) && id > 0 ? { screen: 'clip', id } : { screen: 'library', query: '' };
    }
    case 'viewing': {
      const page = parts[1] as keyof typeof VIEWING_PATHS | undefined;
      return { screen: page && Object.hasOwn(VIEWING_PATHS, page) ? VIEWING_PATHS[page] : 'viewingRequests' };
    }
    case 'exports': {
      const id = Number(parts[1]);
      return Number.isSafeInteger(id) && id > 0 ? { screen: 'export', id } : { screen: 'exports' };
    }
    case 'people':
      return { screen: 'people' };
    case 'devices': {
      const id = Number(parts[1]);
      return Number.isSafeInteger(id) && id > 0 ? { screen: 'device', id } : { screen: 'devices' };
    }
    case 'audit':
      return { screen: 'audit' };
    case 'checkout':
    case 'receive':
    case 'overdue':
    case 'cameras':
    case 'norecord':
    case 'faults':
    case 'outside':
    case 'settings':
      return { screen: parts[0] };
    default:
      return { screen: 'home' };
  }
}

export function href(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '#/';
    case 'device':
      return `#/devices/${route.id}`;
    case 'library':
      return route.query ? `#/library?${route.query}` : '#/library';
    case 'clip':
      return `#/clips/${route.id}`;
    case 'viewingRequests':
      return '#/viewing/requests';
    case 'viewingGrants':
      return '#/viewing/grants';
    case 'viewingRegister':
      return '#/viewing/register';
    case 'export':
      return `#/exports/${route.id}`;
    default:
      return `#/${route.screen}`;
  }
}

/** What a screen needs; the core checks again on every call, this only hides what would fail. */
export function requiredPermission(route: Route): Permission | null {
  switch (route.screen) {
    case 'people':
      return 'people.view';
    case 'devices':
    case 'device':
      return 'devices.view';
    case 'audit':
      return 'audit.view';
    case 'checkout':
    case 'receive':
      return 'custody.operate';
    case 'overdue':
    case 'cameras':
    case 'faults':
    case 'outside':
      return 'custody.view';
    case 'settings':
      return 'custody.configure';
    case 'library':
    case 'clip':
      return 'library.search';
    // Anyone who may ask to view sees their own requests and grants; the approver's parts check viewing.approve.
    case 'viewingRequests':
    case 'viewingGrants':
      return 'viewing.request';
    case 'viewingRegister':
      return 'viewing.register';
    // Who may read the register sees each export; making and deciding are checked per action.
    case 'exports':
    case 'export':
      return 'export.register';
    default:
      return null;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
