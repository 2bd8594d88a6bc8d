// 账本条目: the ledger's entries by range with their leaf hashes
// (GET /api/v1/ledger/entries, auditors and platform admins only), a page
// of 50 at a time from ?start=, each with a link to its inclusion proof and
// to the trail of the object it concerns.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { EVENT_ACTIONS, OBJECT_TYPES, label } from '../lib/labels.js';
import { inclusionHref, trailHref } from '../lib/records.js';

export const title = '账本条目';

const PAGE = 50;

export async function render({ main, query }) {
  const start = Math.max(1, parseInt(query.get('start') || '1', 10) || 1);
  const page = await get('/ledger/entries' + qs({ start, limit: PAGE }));
  const items = page.items || [];
  const last = items.length ? items[items.length - 1].seq : start - 1;
  const nav = h('p', { class: 'pager' },
    start > 1 ? h('a', { href: '/console/ledger/entries' + qs({ start: Math.max(1, start - PAGE) }) }, '上一页') : null,
    start > 1 && items.length === PAGE ? ' ' : null,
    items.length === PAGE ? h('a', { href: '/console/ledger/entries' + qs({ start: last + 1 }) }, '下一页') : null);
  const jump = h('form', { class: 'search', role: 'search' },
    h('label', { for: 'start' }, '从序号'),
    h('input', { id: 'start', name: 'start', type: 'number', min: 1, value: start }),
    h('button', { type: 'submit' }, '查看'));
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/ledger' }, '账本核验'), ' / 账本条目'),
    h('h1', {}, '账本条目'),
    h('p', { class: 'lead' }, '每个条目的叶哈希按条目现存内容计算（RFC 6962：H(0x00 ‖ 叶数据)），叶数据格式见 internal/ledger/tlog 的说明。'),
    jump,
    items.length === 0
      ? h('p', { class: 'empty' }, '此序号之后没有条目。')
      : h('table', { class: 'events', 'data-testid': 'ledger-entries' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '序号'), h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '操作'),
          h('th', { scope: 'col' }, '对象'), h('th', { scope: 'col' }, '叶哈希'), h('th', { scope: 'col' }, '证明'))),
        h('tbody', {}, items.map((e) => h('tr', {},
          h('td', {}, String(e.seq)),
          h('td', {}, formatDateTime(e.at)),
          h('td', {}, label(EVENT_ACTIONS, e.action)),
          h('td', {}, h('a', { href: trailHref(e.object_type, e.object_id) }, label(OBJECT_TYPES, e.object_type), ' ', h('code', {}, e.object_id))),
          h('td', {}, h('code', { class: 'hash' }, e.leaf_hash)),
          h('td', {}, h('a', { href: inclusionHref(e.seq), 'aria-label': `第 ${e.seq} 条的存在性证明` }, '查看证明')))))),
    nav);
}
