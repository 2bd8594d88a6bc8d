// Service changes (服务变更, Art. 27 ¶3) the person may see (GET
// /api/v1/service-changes): a provider's office its proposals, a consumer's
// office those it is consulted on, the authority and auditors those in their
// region. A provider's office head proposes a new one from here.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { deptNames } from '../lib/applications.js';
import { SC_STATES, SC_KINDS } from '../lib/service-changes.js';

export const title = '服务变更';

const FILTERS = { '': '全部', 'consulting,filed,acknowledged': '进行中', 'effective,returned,withdrawn': '已办结' };

export async function render({ main, query, session, navigate }) {
  const state = FILTERS[query.get('state') || ''] ? query.get('state') || '' : '';
  const cursor = query.get('cursor') || '';
  const page = await get('/service-changes' + qs({ state, cursor, limit: 30 }));
  const names = await deptNames(page.items.map((c) => c.provider_id));
  const head = (session.person.roles || []).includes('office_head');

  const select = h('select', { id: 'sc-state', name: 'state' },
    Object.entries(FILTERS).map(([v, t]) => h('option', { value: v, selected: v === state }, t)));
  const filter = h('form', { class: 'search' }, h('label', { for: 'sc-state' }, '范围'), select, h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/service-changes' + qs({ state: select.value }));
  });

  replace(main,
    h('h1', {}, '服务变更'),
    h('p', { class: 'lead' }, '提供部门无正当理由不得终止或者变更已提供的共享服务；确需终止或者变更的，应当与需求部门协商，并报同级政务数据共享主管部门备案（《政务数据共享条例》第二十七条）。'),
    head ? h('p', {}, h('a', { class: 'button', href: '/console/service-changes/new', 'data-testid': 'sc-new' }, '提出服务变更')) : null,
    filter,
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无可查阅的服务变更。')
      : h('table', { class: 'service-changes' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '数据目录'), h('th', { scope: 'col' }, '提供部门'), h('th', { scope: 'col' }, '类型'),
          h('th', { scope: 'col' }, '拟生效日期'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '状态'))),
        h('tbody', {}, page.items.map((c) => h('tr', { class: 'sc-row', 'data-sc-id': c.id, 'data-state': c.state },
          h('td', {}, h('a', { href: '/console/service-changes/' + encodeURIComponent(c.id) }, c.entry_name)),
          h('td', {}, names.get(c.provider_id)),
          h('td', {}, label(SC_KINDS, c.kind)),
          h('td', {}, formatDate(c.effective_date)),
          h('td', {}, (c.consumers || []).map((k) => k.name).join('、') || '无'),
          h('td', {}, h('span', { class: 'state state-' + c.state }, label(SC_STATES, c.state))))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/service-changes' + qs({ state, cursor: page.next_cursor }) }, '下一页')) : null);
}
