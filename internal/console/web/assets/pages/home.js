// Home: a word on what this role does here, and the person's to-do list
// from GET /api/v1/todo with the working days left on each item — amber
// (deadline-soon) with two or fewer, red (deadline-overdue) once overdue.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { formatDate, deadline } from '../lib/format.js';
import { TODO_KINDS, label } from '../lib/labels.js';
import { homeCharts } from '../lib/charts-home.js'; // ledger and records area: charts for heads, reviewers, admins

export const title = '首页';

const ROLE_INTRO = {
  platform_admin: '您负责平台的组织机构和账号管理。',
  authority_reviewer: '您代表主管部门审核本级数据目录、决定延长答复期限，并可查阅辖区内的操作记录。',
  office_head: '您是本部门共享工作机构负责人：审批本部门的目录和共享申请，答复其他部门的申请。',
  office_staff: '您是本部门共享工作机构经办人：编制数据目录、起草共享申请、办理补充材料和数据共享。',
  auditor: '您可查阅辖区内的操作记录和数据使用记录。',
  contractor: '您负责平台运行维护，不接触共享数据。',
};

// Where a to-do item leads, by object type; types without a page yet are
// shown as plain text. Add a type here when its page is added.
const OBJECT_PAGES = {
  catalog_entry: (id) => '/console/catalog/entries/' + encodeURIComponent(id),
  application: (id) => '/console/applications/' + encodeURIComponent(id),
  // A grant's to-do is its usage records (Art. 29).
  grant: (id) => '/console/records/grants/' + encodeURIComponent(id),
  // An update obligation of a catalog entry (Art. 17): catalog.update and catalog.extension.
  catalog_obligation: (id) => '/console/catalog/obligations/' + encodeURIComponent(id),
  // A service change (Art. 27 ¶3): answer, file, acknowledge or put into effect.
  service_change: (id) => '/console/service-changes/' + encodeURIComponent(id),
  // A correction request (Art. 26): to answer, or overdue.
  correction: (id) => '/console/corrections/' + encodeURIComponent(id),
  // A dispute (Art. 28): negotiate, coordinate or record the government's decision.
  dispute: (id) => '/console/disputes/' + encodeURIComponent(id),
  // A complaint (Art. 37): to answer, or overdue in the reviewer's region.
  complaint: (id) => '/console/complaints/' + encodeURIComponent(id),
};

const GRANT_PAGE = (id) => '/console/grants/' + encodeURIComponent(id);

export async function render({ main, session }) {
  const { person } = session;
  const [page, charts] = await Promise.all([get('/todo'), homeCharts(session)]);
  const intro = person.roles.map((r) => ROLE_INTRO[r]).filter(Boolean);
  replace(main,
    h('h1', {}, '首页'),
    h('p', { class: 'lead' }, `您好，${person.display_name}。`, ...intro),
    h('section', { 'aria-labelledby': 'todo-heading' },
      h('h2', { id: 'todo-heading' }, '待办事项'),
      page.items.length === 0
        ? h('p', { class: 'empty' }, '暂无待办事项。')
        : todoTable(page.items),
      catalogWorkLink(person)), // catalog editing and review area
    charts);
}

// Catalog editing and review area: the page of all catalog work (drafts, approvals, the review queue).
function catalogWorkLink(person) {
  if (!person.roles.some((r) => r === 'authority_reviewer' || r === 'office_head' || r === 'office_staff')) return null;
  return h('p', { class: 'catalog-work' }, h('a', { href: '/console/catalog/review' }, '目录编审：编制、审批和审核数据目录'));
}

function todoTable(items) {
  return h('table', { class: 'todo' },
    h('caption', { class: 'visually-hidden' }, '待办事项，已超期的在前，其余按期限先后排列'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '事项'), h('th', { scope: 'col' }, '类别'),
      h('th', { scope: 'col' }, '期限'), h('th', { scope: 'col' }, '剩余工作日'))),
    h('tbody', {}, items.map((it) => {
      const d = deadline(it);
      // A grant's suspension and disposal items open the grant itself (Art. 27).
      const link = it.kind.startsWith('grant.') ? GRANT_PAGE : OBJECT_PAGES[it.object_type];
      return h('tr', { class: 'todo-item ' + d.cls, 'data-kind': it.kind },
        h('td', {}, link ? h('a', { href: link(it.object_id) }, it.title) : it.title),
        h('td', {}, label(TODO_KINDS, it.kind)),
        h('td', {}, it.due ? [formatDate(it.due), it.rule ? h('small', { class: 'rule' }, it.rule) : null] : '—'),
        h('td', {}, h('span', { class: 'deadline ' + d.cls }, d.text)));
    })));
}
