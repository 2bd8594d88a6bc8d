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
  // Applications (共享申请), docs/applications.md: offices apply and answer; reviewers,
  // auditors and admins read those in their reach. "new" before ":id".
  { path: '/console/applications', nav: '共享申请', roles: SHARING_ROLES, load: () => import('./pages/applications.js') },
  { path: '/console/applications/new', roles: ['office_head', 'office_staff'], load: () => import('./pages/applications-new.js') },
  { path: '/console/applications/:id', roles: SHARING_ROLES, load: () => import('./pages/applications-detail.js') },
  { path: '/console/applications/:id/edit', roles: ['office_head', 'office_staff'], load: () => import('./pages/applications-new.js') },
  {
    path: '/console/events', nav: '操作记录',
    // docs/access.md: GET /api/v1/events is refused to office staff and contractors.
    roles: ['platform_admin', 'authority_reviewer', 'office_head', 'auditor'],
    load: () => import('./pages/events.js'),
  },
  // Grants and delivery (共享授权与数据交付): docs/access.md, docs/credentials.md.
  { path: '/console/grants', nav: '共享授权', roles: SHARING_ROLES, load: () => import('./pages/grants.js') },
  { path: '/console/grants/:id', roles: SHARING_ROLES, load: () => import('./pages/grants-detail.js') },
  { path: '/console/systems', nav: '应用系统', roles: SHARING_ROLES, load: () => import('./pages/systems.js') },
  { path: '/console/systems/:id', roles: SHARING_ROLES, load: () => import('./pages/systems-detail.js') },
  // Hosting rows is the provider's sharing office's work, for its own department.
  { path: '/console/datasets', nav: '数据托管', roles: ['office_head', 'office_staff'], load: () => import('./pages/datasets.js') },
  { path: '/console/datasets/:id', roles: ['office_head', 'office_staff'], load: () => import('./pages/datasets-detail.js') },
  // Ledger and records (账本与记录): docs/ledger.md, docs/usage-records.md, docs/access.md.
  // Usage records: sharing offices, the authorities and auditors above the consumer; admins see the missing list.
  { path: '/console/records', nav: '使用记录', roles: SHARING_ROLES, load: () => import('./pages/records.js') },
  { path: '/console/records/grants/:id', roles: ['authority_reviewer', 'office_head', 'office_staff', 'auditor'], load: () => import('./pages/records-grant.js') },
  // A grant's trail is open to its offices (staff too); other objects' need GET /api/v1/events.
  { path: '/console/records/trail/:type/:id', roles: SHARING_ROLES, load: () => import('./pages/records-trail.js') },
  { path: '/console/ledger', nav: '账本核验', roles: ['platform_admin', 'auditor'], load: () => import('./pages/ledger.js') },
  { path: '/console/ledger/entries', roles: ['platform_admin', 'auditor'], load: () => import('./pages/ledger-entries.js') },
  { path: '/console/ledger/inclusion/:seq', roles: ['platform_admin', 'authority_reviewer', 'office_head', 'auditor'], load: () => import('./pages/ledger-inclusion.js') },
  // Catalog editing and review (目录编制与审核), docs/catalog.md: offices write, heads submit, reviewers decide.
  { path: '/console/catalog/review', nav: '目录编审', roles: ['authority_reviewer', 'office_head', 'office_staff'], load: () => import('./pages/catalog-review.js') },
  { path: '/console/catalog/new', roles: ['office_head', 'office_staff'], load: () => import('./pages/catalog-edit.js') },
  { path: '/console/catalog/entries/:id/edit', roles: ['office_head', 'office_staff'], load: () => import('./pages/catalog-edit.js') },
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
