// Disputes (共享争议, Art. 28) the person may see (GET /api/v1/disputes): a
// sharing office its department's, as either party; authority reviewers and
// auditors those whose coordinating authority lies in their region. A
// sharing office opens a new one from here.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { DISPUTE_STATES, DISPUTE_STAGES, subjectNames, subjectText } from '../lib/disputes.js';

export const title = '共享争议';

const FILTERS = { '': '全部', ...DISPUTE_STATES };

export async function render({ main, query, session, navigate }) {
  const state = query.get('state') in FILTERS ? query.get('state') || '' : '';
  const cursor = query.get('cursor') || '';
  const page = await get('/disputes' + qs({ state, cursor, limit: 30 }));
  const subjects = await subjectNames(page.items.map((d) => d.subject));
  const roles = session.person.roles || [];
  const office = roles.includes('office_head') || roles.includes('office_staff');

  const select = h('select', { id: 'dispute-state', name: 'state' },
    Object.entries(FILTERS).map(([v, t]) => h('option', { value: v, selected: v === state }, t)));
  const filter = h('form', { class: 'search' }, h('label', { for: 'dispute-state' }, '状态'), select, h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/disputes' + qs({ state: select.value }));
  });
  const current = (d) => (d.stages || [])[d.stages.length - 1] || {};

  replace(main,
    h('h1', {}, '共享争议'),
    h('p', { class: 'lead' }, '同级需求部门与提供部门发生共享争议的，应当协商解决；协商不成的，向同级政务数据共享主管部门申请协调处理；跨层级、跨地域的，由共同的上级主管部门协调处理；经协调仍未达成一致的，报主管部门的本级人民政府决定（《政务数据共享条例》第二十八条）。'),
    office ? h('p', {}, h('a', { class: 'button', href: '/console/disputes/new', 'data-testid': 'dispute-new' }, '发起争议')) : null,
    filter,
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无可查阅的共享争议。')
      : h('table', { class: 'disputes' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '争议事项'), h('th', { scope: 'col' }, '争议对象'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '协调主管部门'), h('th', { scope: 'col' }, '当前阶段'), h('th', { scope: 'col' }, '阶段期限'),
          h('th', { scope: 'col' }, '状态'))),
        h('tbody', {}, page.items.map((d) => {
          const st = current(d);
          const open = !['resolved', 'decided'].includes(d.state);
          return h('tr', { class: 'dispute-row', 'data-dispute-id': d.id, 'data-state': d.state },
            h('td', {}, h('a', { href: '/console/disputes/' + encodeURIComponent(d.id) }, d.matter)),
            h('td', { 'data-testid': 'dispute-subject' }, d.subject ? subjectText(d.subject, subjects) : '—'),
            h('td', {}, d.consumer.department_name),
            h('td', {}, d.provider.department_name),
            h('td', {}, d.authority.department_name),
            h('td', {}, open ? label(DISPUTE_STAGES, st.stage) : '—'),
            h('td', {}, open && st.deadline ? formatDate(st.deadline.due) : '—'),
            h('td', {}, h('span', { class: 'state state-' + d.state }, label(DISPUTE_STATES, d.state))));
        }))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/disputes' + qs({ state, cursor: page.next_cursor }) }, '下一页')) : null);
}
