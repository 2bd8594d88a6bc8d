// The trail of one object: every recorded act on it, in ledger order, with
// who acted, for which department, when, and — for readers who may ask —
// a link to the entry's inclusion proof. A grant's trail comes from
// GET /api/v1/grants/{id}/events (its sharing offices and the authorities
// above the consumer read it; a read by the provider or an authority is
// itself recorded, Art. 29); any other object's from GET /api/v1/events
// filtered to it.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { EVENT_ACTIONS, OBJECT_TYPES, label } from '../lib/labels.js';
import { deptName, personName, names, mayProve, mayReadEvents, inclusionHref, trailHref } from '../lib/records.js';

export const title = '对象操作记录';

// Where the object itself is shown, when the console has a page for it.
const OBJECT_PAGES = {
  catalog_entry: (id) => '/console/catalog/entries/' + encodeURIComponent(id),
  grant: (id) => '/console/records/grants/' + encodeURIComponent(id),
};

export async function render({ main, params, query, session }) {
  const { type, id } = params;
  const { person } = session;
  const cursor = query.get('cursor') || '';
  let viaGrant = type === 'grant' && !(person.roles || []).includes('platform_admin');
  let page;
  if (viaGrant) {
    try {
      page = await get(`/grants/${encodeURIComponent(id)}/events` + qs({ cursor, limit: 100 }));
    } catch (err) {
      // Not a reader of the grant's record (e.g. an authority above the
      // provider only): what the record of acts shows this person instead.
      if (!err.notFoundOrForbidden || !mayReadEvents(person)) throw err;
      viaGrant = false;
    }
  }
  if (!page) page = await get('/events' + qs({ object_type: type, object_id: id, cursor, limit: 100 }));
  const [who, depts, objName] = await Promise.all([
    names(page.items.map((e) => e.actor_id), personName),
    names(page.items.flatMap((e) => [e.department_id, e.object_department_id]), deptName),
    nameOf(type, id),
  ]);
  const typeName = label(OBJECT_TYPES, type);
  document.title = `${typeName} ${objName || id} · ${document.title}`;
  const link = OBJECT_PAGES[type];
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/records' }, '使用记录'), ' / 对象操作记录'),
    h('h1', {}, `${typeName}的操作记录`),
    h('dl', { class: 'facts' },
      h('dt', {}, '对象类型'), h('dd', {}, typeName),
      h('dt', {}, '对象'), h('dd', {}, link ? h('a', { href: link(id) }, objName || id) : objName || id),
      h('dt', {}, '对象编号'), h('dd', {}, h('code', {}, id))),
    viaGrant ? h('p', { class: 'lead' }, '提供部门和主管部门每次查阅本记录，均记入该共享授权的操作记录（《政务数据共享条例》第二十九条）。') : null,
    page.items.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'trail-empty' }, '暂无可查阅的操作记录。')
      : h('table', { class: 'events trail', 'data-testid': 'trail' },
        h('caption', { class: 'visually-hidden' }, `${typeName} ${objName || id} 的操作记录，按账本序号排列`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '序号'), h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '操作'),
          h('th', { scope: 'col' }, '操作人'), h('th', { scope: 'col' }, '代表部门'), h('th', { scope: 'col' }, '存在性证明'))),
        h('tbody', {}, page.items.map((ev) => h('tr', { class: 'trail-event', 'data-action': ev.action },
          h('td', {}, String(ev.seq)),
          h('td', {}, formatDateTime(ev.at)),
          h('td', {}, label(EVENT_ACTIONS, ev.action)),
          h('td', {}, who.get(ev.actor_id) || ev.actor_id),
          h('td', {}, depts.get(ev.department_id) || '—'),
          h('td', {}, mayProve(person, ev)
            ? h('a', { href: inclusionHref(ev.seq), 'aria-label': `第 ${ev.seq} 条的存在性证明` }, '查看证明')
            : '—'))))),
    page.next_cursor
      ? h('p', {}, h('a', { href: trailHref(type, id) + qs({ cursor: page.next_cursor }) }, '下一页'))
      : null);
}

// The object's name, when the reader may read the object; else nothing.
async function nameOf(type, id) {
  const path = {
    grant: '/grants/', catalog_entry: '/catalog/entries/', application: '/applications/', department: '/departments/',
  }[type];
  if (!path) return '';
  try {
    const o = await get(path + encodeURIComponent(id));
    return o.entry_name || o.name || '';
  } catch {
    return '';
  }
}
