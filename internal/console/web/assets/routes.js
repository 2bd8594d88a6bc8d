// The console's pages. Each route names its path (":name" segments become
// ctx.params.name), the module that renders it, the roles that may open it
// and, when it belongs in the navigation, its label there. The navigation
// shows a person exactly the routes with a label whose roles include one of
// theirs, in this order.
import { ALL_ROLES, SHARING_ROLES } from './lib/roles.js';

export const routes = [
  { path: '/console/', nav: '首页', roles: ALL_ROLES, load: () => import('./pages/home.js') },
  { path: '/console/catalog', nav: '数据目录', roles: SHARING_ROLES, load: () => import('./pages/catalog.js') },
  { path: '/console/catalog/entries/:id', roles: SHARING_ROLES, load: () => import('./pages/catalog-entry.js') },
  {
    path: '/console/events', nav: '操作记录',
    // docs/access.md: GET /api/v1/events is refused to office staff and contractors.
    roles: ['platform_admin', 'authority_reviewer', 'office_head', 'auditor'],
    load: () => import('./pages/events.js'),
  },
];

/** match('/console/catalog/entries/x') → {route, params} or null. */
export function match(pathname) {
  const parts = pathname.split('/');
  for (const route of routes) {
    const want = route.path.split('/');
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) {
        if (parts[i] === '') ok = false;
        else params[want[i].slice(1)] = decodeURIComponent(parts[i]);
      } else ok = want[i] === parts[i];
    }
    if (ok) return { route, params };
  }
  return null;
}
