// Route table and sidebar menu.
import LoginPage from './pages/login.js';
import DashboardPage from './pages/dashboard.js';
import ComingSoonPage from './pages/coming-soon.js';
import UsersPage from './pages/users.js';
import GridMapPage from './pages/map.js';

export const HOME = '/dashboard';
export const LOGIN = '/login';

// public: reachable without a session; bare: rendered without the frame;
// roles: any of these roles may open it; parents: i18n keys for the breadcrumb;
// module: a business module shown on the dashboard (props.module: one still coming soon).
export const routes = [
  { path: '/login', component: LoginPage, public: true, bare: true, title: 'login.title' },
  { path: '/dashboard', component: DashboardPage, title: 'menu.dashboard', icon: 'Odometer' },
  { path: '/events', component: ComingSoonPage, props: { module: 'events' }, title: 'menu.events', icon: 'Tickets' },
  { path: '/grid-map', component: GridMapPage, module: 'gridMap', title: 'menu.gridMap', icon: 'MapLocation' },
  { path: '/projects', component: ComingSoonPage, props: { module: 'projects' }, title: 'menu.projects', icon: 'OfficeBuilding' },
  { path: '/enterprise', component: ComingSoonPage, props: { module: 'enterprise' }, title: 'menu.enterprise', icon: 'Shop' },
  { path: '/safety', component: ComingSoonPage, props: { module: 'safety' }, title: 'menu.safety', icon: 'FirstAidKit' },
  { path: '/assessment', component: ComingSoonPage, props: { module: 'assessment' }, title: 'menu.assessment', icon: 'DataAnalysis' },
  { path: '/system/users', component: UsersPage, title: 'menu.users', icon: 'User', parents: ['menu.system'], roles: ['admin'] },
];

export function findRoute(path) {
  return routes.find((r) => r.path === path) || null;
}

// Sidebar entries: { path } for a route, or { key, title, icon, children: [...] } for a group.
export const menu = [
  { path: '/dashboard' },
  { path: '/events' },
  { path: '/grid-map' },
  { path: '/projects' },
  { path: '/enterprise' },
  { path: '/safety' },
  { path: '/assessment' },
  { key: 'system', title: 'menu.system', icon: 'Setting', children: [{ path: '/system/users' }] },
];
