// Route table and sidebar menu.
import LoginPage from './pages/login.js';
import DashboardPage from './pages/dashboard.js';
import ComingSoonPage from './pages/coming-soon.js';
import UsersPage from './pages/users.js';
import CategoriesPage from './pages/categories.js';
import GridMapPage from './pages/map.js';
import CasesPage from './pages/cases.js';
import CasePage from './pages/case.js';
import CaseNewPage from './pages/case-new.js';
import ProjectsPage from './pages/projects.js';
import ProjectPage from './pages/project.js';
import ProjectNewPage from './pages/project-new.js';
import ProjectBatchesPage from './pages/project-batches.js';

export const HOME = '/dashboard';
export const LOGIN = '/login';

// public: reachable without a session; bare: rendered without the frame;
// roles: any of these roles may open it; parents: i18n keys for the breadcrumb;
// module: a business module shown on the dashboard (props.module: one still coming soon),
// with moduleTitle / moduleIcon when they differ from the page's;
// active: the menu entry to highlight (for pages not in the menu). A path may
// hold parameters (/cases/:id); they are passed to the page as props.
export const routes = [
  { path: '/login', component: LoginPage, public: true, bare: true, title: 'login.title' },
  { path: '/dashboard', component: DashboardPage, title: 'menu.dashboard', icon: 'Odometer' },
  { path: '/cases/todo', component: CasesPage, props: { mode: 'todo' }, module: 'events', moduleTitle: 'menu.events', moduleIcon: 'Tickets',
    title: 'menu.casesTodo', icon: 'Bell', parents: ['menu.events'] },
  { path: '/cases', component: CasesPage, props: { mode: 'all' }, title: 'menu.casesList', icon: 'Tickets', parents: ['menu.events'] },
  { path: '/cases/new', component: CaseNewPage, title: 'menu.casesNew', icon: 'DocumentAdd', parents: ['menu.events'] },
  { path: '/cases/:id', component: CasePage, title: 'cases.detailTitle', parents: ['menu.events', 'menu.casesList'], active: '/cases' },
  { path: '/grid-map', component: GridMapPage, module: 'gridMap', title: 'menu.gridMap', icon: 'MapLocation' },
  { path: '/projects', component: ProjectsPage, module: 'projects', moduleTitle: 'menu.projects', moduleIcon: 'OfficeBuilding',
    title: 'menu.projectsLedger', icon: 'Notebook', parents: ['menu.projects'] },
  { path: '/projects/batches', component: ProjectBatchesPage, title: 'menu.projectsBatches', icon: 'Histogram', parents: ['menu.projects'] },
  { path: '/projects/new', component: ProjectNewPage, title: 'menu.projectsNew', icon: 'DocumentAdd', parents: ['menu.projects'], roles: ['admin', 'leader'] },
  { path: '/projects/:id/edit', component: ProjectNewPage, title: 'projects.editTitle', parents: ['menu.projects', 'menu.projectsLedger'], active: '/projects', roles: ['admin', 'leader'] },
  { path: '/projects/:id', component: ProjectPage, title: 'projects.detailTitle', parents: ['menu.projects', 'menu.projectsLedger'], active: '/projects' },
  { path: '/enterprise', component: ComingSoonPage, props: { module: 'enterprise' }, title: 'menu.enterprise', icon: 'Shop' },
  { path: '/safety', component: ComingSoonPage, props: { module: 'safety' }, title: 'menu.safety', icon: 'FirstAidKit' },
  { path: '/assessment', component: ComingSoonPage, props: { module: 'assessment' }, title: 'menu.assessment', icon: 'DataAnalysis' },
  { path: '/system/users', component: UsersPage, title: 'menu.users', icon: 'User', parents: ['menu.system'], roles: ['admin'] },
  { path: '/system/categories', component: CategoriesPage, title: 'menu.categories', icon: 'CollectionTag', parents: ['menu.system'], roles: ['admin'] },
];

// '/cases/:id' against '/cases/12' → { id: '12' }, or null.
function matchPath(pattern, path) {
  const p = pattern.split('/');
  const q = path.split('/');
  if (p.length !== q.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!q[i]) return null;
      params[p[i].slice(1)] = q[i];
    } else if (p[i] !== q[i]) {
      return null;
    }
  }
  return params;
}

// The route of a path; exact paths win over patterns. A pattern's match is a
// copy of its route with the parameters added to its props.
export function findRoute(path) {
  const exact = routes.find((r) => r.path === path);
  if (exact) return exact;
  for (const r of routes) {
    if (!r.path.includes(':')) continue;
    const params = matchPath(r.path, path);
    if (params) return { ...r, props: { ...(r.props || {}), ...params }, params };
  }
  return null;
}

// Sidebar entries: { path } for a route, or { key, title, icon, children: [...] } for a group.
export const menu = [
  { path: '/dashboard' },
  { key: 'events', title: 'menu.events', icon: 'Tickets', children: [{ path: '/cases/todo' }, { path: '/cases' }, { path: '/cases/new' }] },
  { path: '/grid-map' },
  { key: 'economy', title: 'menu.projects', icon: 'OfficeBuilding', children: [{ path: '/projects' }, { path: '/projects/batches' }, { path: '/projects/new' }] },
  { path: '/enterprise' },
  { path: '/safety' },
  { path: '/assessment' },
  { key: 'system', title: 'menu.system', icon: 'Setting', children: [{ path: '/system/users' }, { path: '/system/categories' }] },
];
