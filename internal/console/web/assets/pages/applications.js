// The applications the person may see (GET /api/v1/applications): a sharing
// office chooses between those it made (as consumer) and those it must
// answer (as provider); reviewers, auditors and admins see those in their
// reach. Each row shows its state and the deadline that runs now, with the
// working days left, coloured as on the home page.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { APPLICATION_STATES, currentDeadline, deptNames } from '../lib/applications.js';
import { label } from '../lib/labels.js';

export const title = '共享申请';

// The views each kind of person chooses between; the first is the default.
const OFFICE_VIEWS = [
  { view: 'consumer', text: '本部门提出的申请' },
  { view: 'provider', text: '发给本部门的申请' },
];
const REVIEWER_VIEWS = [
  { view: 'all', text: '辖区内的申请' },
  { view: 'extension', text: '待审批的延长答复期限申请' },
];

export async function render({ main, session, query, navigate }) {
  const { person } = session;
  const roles = person.roles || [];
  const views = person.department_id && roles.some((r) => r === 'office_head' || r === 'office_staff') ? OFFICE_VIEWS
    : roles.includes('authority_reviewer') ? REVIEWER_VIEWS : [];
  const view = (views.find((v) => v.view === query.get('view')) || views[0] || { view: 'all' }).view;
  const role = view === 'consumer' || view === 'provider' ? view : '';
  const state = query.get('state') || '';
  const cursor = query.get('cursor') || '';
  const page = view === 'extension'
    ? { items: (await everyPage(state)).filter((a) => awaitsDecision(a, person)) }
    : await get('/applications' + qs({ role, state, cursor, limit: 50 }));
  const names = await deptNames(page.items.flatMap((a) => [a.consumer_id, a.provider_id]));
  const deadlines = await Promise.all(page.items.map(currentDeadline));

  const here = (extra) => '/console/applications' + qs({ view: views.length ? view : '', ...extra });
  const tabs = views.length
    ? h('nav', { class: 'tabs', 'aria-label': '申请范围' }, h('ul', {}, views.map((v) => h('li', {},
      h('a', { href: '/console/applications' + qs({ view: v.view }), 'aria-current': v.view === view ? 'page' : null }, v.text)))))
    : null;
  const stateId = 'app-state-filter';
  const filter = h('form', { class: 'search', role: 'search' },
    h('label', { for: stateId }, '状态'),
    h('select', { id: stateId, name: 'state' },
      h('option', { value: '' }, '全部'),
      Object.entries(APPLICATION_STATES).map(([code, text]) => h('option', { value: code, selected: code === state }, text))),
    h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(here({ state: filter.state.value }));
  });

  const empty = { provider: '暂无发给本部门的共享申请。', extension: '暂无待审批的延长答复期限申请。' }[view] || '暂无共享申请。';
  replace(main,
    h('h1', {}, '共享申请'),
    tabs,
    view === 'consumer'
      ? h('p', { class: 'lead' }, '在', h('a', { href: '/console/catalog' }, '数据目录'), '中找到所需目录，在目录详情页点击“申请共享”。')
      : null,
    filter,
    page.items.length === 0
      ? h('p', { class: 'empty' }, empty)
      : h('table', { class: 'applications' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '申请目录'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '期限'), h('th', { scope: 'col' }, '剩余工作日'))),
        h('tbody', {}, page.items.map((a, i) => {
          const d = deadlines[i];
          return h('tr', { class: 'application-row ' + d.cls, 'data-state': a.state },
            h('td', {}, h('a', { href: '/console/applications/' + encodeURIComponent(a.id) }, a.entry_name)),
            h('td', {}, names.get(a.consumer_id) || '—'),
            h('td', {}, names.get(a.provider_id) || '—'),
            h('td', {}, h('span', { class: 'state state-' + a.state }, label(APPLICATION_STATES, a.state))),
            h('td', {}, d.due ? [formatDate(d.due), d.rule ? h('small', { class: 'rule' }, d.rule) : null] : '—'),
            h('td', {}, h('span', { class: 'deadline ' + d.cls }, d.text)));
        }))),
    page.next_cursor
      ? h('p', {}, h('a', { href: here({ state, cursor: page.next_cursor }) }, '下一页'))
      : null);
}

// An extension request waits for this reviewer's authority (Art. 21).
function awaitsDecision(a, person) {
  const x = a.extension;
  return !!x && x.status === 'requested' && x.authority_id === person.department_id
    && (a.state === 'sent' || a.state === 'resubmitted');
}

// The listing has no filter for pending extensions, so the reviewer's view
// reads every page of its region (a bounded number) and keeps those.
async function everyPage(state) {
  const all = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const page = await get('/applications' + qs({ state, cursor, limit: 100 }));
    all.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return all;
}
