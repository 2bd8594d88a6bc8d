// The grants (共享授权) the person may see (GET /api/v1/grants): a sharing
// office its department's, as consumer or provider; reviewers and auditors
// those with a party in their region; admins all. The filters live in the URL;
// 待处置 lists the ended grants (expired or terminated) whose data the consumer
// has not yet disposed of (Art. 27 ¶1), with the disposal deadline.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { DELIVERY_METHODS, label } from '../lib/labels.js';
import { GRANT_STATES, departmentNames, isOffice } from '../lib/delivery.js';

export const title = '共享授权';

const SIDES = { '': '全部', consumer: '本部门作为需求方', provider: '本部门作为提供方' };

export async function render({ main, query, session, navigate }) {
  const role = SIDES[query.get('role')] ? query.get('role') || '' : '';
  const disposal = query.get('disposal') === 'due' ? 'due' : '';
  const cursor = query.get('cursor') || '';
  const page = await get('/grants' + qs({ role, disposal, cursor, limit: 30 }));
  const names = await departmentNames(page.items.flatMap((g) => [g.consumer_id, g.provider_id]));

  let filter = null;
  if (isOffice(session.person)) {
    const select = h('select', { id: 'grant-role', name: 'role' },
      Object.entries(SIDES).map(([v, t]) => h('option', { value: v, selected: v === role }, t)));
    filter = h('form', { class: 'search' },
      h('label', { for: 'grant-role' }, '范围'), select, h('button', { type: 'submit' }, '筛选'));
    filter.addEventListener('submit', (e) => {
      e.preventDefault();
      navigate('/console/grants' + qs({ role: select.value, disposal }));
    });
  }

  const tab = (value, text) => h('a', { href: '/console/grants' + qs({ role, disposal: value }),
    'aria-current': value === disposal ? 'page' : null, 'data-testid': 'grant-tab-' + (value || 'all') }, text);
  replace(main,
    h('h1', {}, '共享授权'),
    h('p', { class: 'lead' }, '共享申请经提供部门同意后形成共享授权，需求部门据此在有效期内按约定方式使用数据。'),
    h('nav', { class: 'tabs', 'aria-label': '授权分类' }, h('ul', {}, h('li', {}, tab('', '全部')), h('li', {}, tab('due', '到期或终止待处置')))),
    filter,
    page.items.length === 0
      ? h('p', { class: 'empty' }, disposal ? '没有待处置的共享授权。' : '暂无可查阅的共享授权。')
      : h('table', { class: 'grants' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '数据目录'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '共享方式'), h('th', { scope: 'col' }, '有效期至'), h('th', { scope: 'col' }, '状态'),
          disposal ? h('th', { scope: 'col' }, '处置期限') : null)),
        h('tbody', {}, page.items.map((g) => h('tr', { class: 'grant-row', 'data-grant-id': g.id },
          h('td', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g.id) }, g.entry_name || g.entry_id)),
          h('td', {}, names[g.consumer_id]),
          h('td', {}, names[g.provider_id]),
          h('td', {}, label(DELIVERY_METHODS, g.delivery_method)),
          h('td', {}, formatDate(g.valid_until)),
          h('td', {}, h('span', { class: 'grant-state grant-state-' + g.state }, label(GRANT_STATES, g.state))),
          disposal ? h('td', {}, g.disposal_due ? formatDate(g.disposal_due.due) : '—') : null)))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/grants' + qs({ role, disposal, cursor: page.next_cursor }) }, '下一页')) : null);
}
