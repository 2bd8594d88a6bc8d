// The console's pages. Each route names its path (":name" segments become
// ctx.params.name), the module that renders it, the roles that may open it
// and, when it belongs in the navigation, its label there. The navigation
// shows a person exactly the routes with a label whose roles include one of
// theirs, grouped and ordered as NAV says (a labelled route NAV forgets is
// shown last, never lost).
import { ALL_ROLES, SHARING_ROLES } from './lib/roles.js';

/** The navigation's groups, in the order of the work: paths of routes with a nav label. */
export const NAV = [
  { group: '', paths: ['/console/'] },
  { group: '目录与申请', paths: ['/console/catalog', '/console/catalog/review', '/console/applications'] },
  { group: '数据交付', paths: ['/console/grants', '/console/systems', '/console/subscriptions', '/console/datasets', '/console/upstreams'] },
  { group: '共享之后', paths: ['/console/corrections', '/console/service-changes', '/console/disputes', '/console/complaints'] },
  { group: '监督与记录', paths: ['/console/records', '/console/events', '/console/ledger'] },
  { group: '管理', paths: ['/console/admin/org', '/console/admin/calendar'] },
];

const ORG_READERS = ['platform_admin', 'authority_reviewer', 'office_head', 'auditor'];

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
  // Service changes (服务变更, Art. 27 ¶3), docs/service-changes.md: the provider's head proposes and
  // files, the consumers' heads answer, the same-level authority acknowledges or returns. "new" before ":id".
  { path: '/console/service-changes', nav: '服务变更', roles: SHARING_ROLES, load: () => import('./pages/service-changes.js') },
  { path: '/console/service-changes/new', roles: ['office_head'], load: () => import('./pages/service-changes-new.js') },
  { path: '/console/service-changes/:id', roles: SHARING_ROLES, load: () => import('./pages/service-changes-detail.js') },
  // Disputes (共享争议, Art. 28), docs/disputes.md: the parties' offices open and negotiate; the coordinating
  // authority's reviewers coordinate and record the government's decision; reviewers and auditors above read.
  // Admins and contractors read no disputes (403/404). "new" before ":id".
  { path: '/console/disputes', nav: '共享争议', roles: ['authority_reviewer', 'office_head', 'office_staff', 'auditor'], load: () => import('./pages/disputes.js') },
  { path: '/console/disputes/new', roles: ['office_head', 'office_staff'], load: () => import('./pages/disputes-new.js') },
  { path: '/console/disputes/:id', roles: ['authority_reviewer', 'office_head', 'office_staff', 'auditor'], load: () => import('./pages/disputes-detail.js') },
  // Corrections (数据校核, Art. 26), docs/corrections.md: the consumer's office files from a grant, the provider's
  // office answers; authorities and auditors read those in their region; every office reads the rules. Before ":id".
  { path: '/console/corrections', nav: '数据校核', roles: ['authority_reviewer', 'office_head', 'office_staff', 'auditor'], load: () => import('./pages/corrections.js') },
  { path: '/console/corrections/rules', roles: SHARING_ROLES, load: () => import('./pages/corrections-rules.js') },
  { path: '/console/corrections/new', roles: ['office_head', 'office_staff'], load: () => import('./pages/corrections-new.js') },
  { path: '/console/corrections/:id', roles: ['authority_reviewer', 'office_head', 'office_staff', 'auditor'], load: () => import('./pages/corrections-detail.js') },
  // Complaints (投诉举报, Art. 37), docs/complaints.md: the public files and follows without an account
  // (public: true — no sign-in, no chrome); the handler's office answers or transfers; reviewers oversee their region.
  { path: '/console/complaint', public: true, roles: [], load: () => import('./pages/complaint.js') },
  { path: '/console/complaint/lookup', public: true, roles: [], load: () => import('./pages/complaint-lookup.js') },
  { path: '/console/complaints', nav: '投诉举报', roles: ['authority_reviewer', 'office_head', 'office_staff'], load: () => import('./pages/complaints.js') },
  { path: '/console/complaints/:id', roles: ['authority_reviewer', 'office_head', 'office_staff'], load: () => import('./pages/complaints-detail.js') },
  { path: '/console/systems', nav: '应用系统', roles: SHARING_ROLES, load: () => import('./pages/systems.js') },
  { path: '/console/systems/:id', roles: SHARING_ROLES, load: () => import('./pages/systems-detail.js') },
  // Hosting rows is the provider's sharing office's work, for its own department.
  { path: '/console/datasets', nav: '数据托管', roles: ['office_head', 'office_staff'], load: () => import('./pages/datasets.js') },
  { path: '/console/datasets/:id', roles: ['office_head', 'office_staff'], load: () => import('./pages/datasets-detail.js') },
  // Proxied services (代理服务, docs/gateway.md): a provider's office registers the endpoint of its own system
  // serving a published entry; reviewers, auditors and admins read those in their reach; contractors none (403).
  { path: '/console/upstreams', nav: '代理服务', roles: SHARING_ROLES, load: () => import('./pages/upstreams.js') },
  { path: '/console/upstreams/:id', roles: SHARING_ROLES, load: () => import('./pages/upstreams-detail.js') },
  // Push subscriptions of batch-exchange grants: docs/exchange.md (the consumer registers, the provider schedules).
  { path: '/console/subscriptions', nav: '推送订阅', roles: SHARING_ROLES, load: () => import('./pages/admin-subscriptions.js') },
  { path: '/console/subscriptions/:id', roles: SHARING_ROLES, load: () => import('./pages/admin-subscription.js') },
  // Administration (机构与人员, 工作日历) and one's own account: docs/access.md, docs/calendar.md.
  // Reads are open as far as the API allows; the pages offer commands by role (lib/admin-org.js).
  // Office staff manage nothing there, so the organisation pages are not offered to them.
  { path: '/console/admin/org', nav: '机构与人员', roles: ORG_READERS, load: () => import('./pages/admin-org.js') },
  { path: '/console/admin/departments/:id', roles: ORG_READERS, load: () => import('./pages/admin-department.js') },
  { path: '/console/admin/people', roles: ORG_READERS, load: () => import('./pages/admin-people.js') },
  { path: '/console/admin/people/:id', roles: ORG_READERS, load: () => import('./pages/admin-person.js') },
  { path: '/console/admin/calendar', nav: '工作日历', roles: ALL_ROLES, load: () => import('./pages/admin-calendar.js') },
  { path: '/console/admin/calendar/:year', roles: ALL_ROLES, load: () => import('./pages/admin-calendar-year.js') },
  { path: '/console/account', roles: ALL_ROLES, load: () => import('./pages/admin-account.js') },
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
  // Catalog versions, updates (Art. 17), source departments (Art. 19) and XLSX import: docs/catalog.md, docs/catalog-xlsx.md.
  { path: '/console/catalog/entries/:id/versions/:n', roles: SHARING_ROLES, load: () => import('./pages/catalog-version.js') },
  { path: '/console/catalog/obligations/:id', roles: SHARING_ROLES, load: () => import('./pages/catalog-obligation.js') },
  { path: '/console/catalog/sources', roles: SHARING_ROLES, load: () => import('./pages/catalog-sources.js') },
  { path: '/console/catalog/import', roles: ['office_head', 'office_staff'], load: () => import('./pages/catalog-import.js') },
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
