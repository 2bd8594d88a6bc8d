// The record of acts the person may read (GET /api/v1/events), newest last
// as the API gives them, a page at a time.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { trailHref } from '../lib/records.js';
import { EVENT_ACTIONS, OBJECT_TYPES, label } from '../lib/labels.js';

export const title = '操作记录';

export async function render({ main, query }) {
  const cursor = query.get('cursor') || '';
  const page = await get('/events' + qs({ cursor, limit: 50 }));
  replace(main,
    h('h1', {}, '操作记录'),
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无可查阅的操作记录。')
      : h('table', { class: 'events' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '序号'), h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '操作'),
          h('th', { scope: 'col' }, '对象类型'), h('th', { scope: 'col' }, '对象'))),
        h('tbody', {}, page.items.map((ev) => h('tr', {},
          h('td', {}, String(ev.seq)),
          h('td', {}, formatDateTime(ev.at)),
          h('td', { title: ev.action }, label(EVENT_ACTIONS, ev.action)),
          h('td', {}, label(OBJECT_TYPES, ev.object_type)),
          h('td', {}, h('a', { href: trailHref(ev.object_type, ev.object_id), 'aria-label': `查看对象 ${ev.object_id} 的全部操作记录` }, h('code', {}, ev.object_id))))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/events' + qs({ cursor: page.next_cursor }) }, '下一页')) : null);
}
