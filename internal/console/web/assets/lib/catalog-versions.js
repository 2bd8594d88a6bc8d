// An entry's versions (GET /api/v1/catalog/entries/{id}/versions): the
// history table on the entry's page, and the field-by-field comparison of a
// version with the one before it on the version's page. The API answers
// only the versions this person may read (published ones for most readers,
// working ones too for the provider's office, its authority and auditors),
// so "the one before" is the one before among those.
import { h } from './dom.js';
import { formatDate, formatDateTime } from './format.js';
import { CATALOG_STATES, GRADES, SHARING_ATTRIBUTES, DELIVERY_METHODS, DATA_TYPES, label } from './labels.js';
import { FREQUENCIES, FORMAT_CLASSES, OPEN_ATTRIBUTES, LEGAL_BASIS_KINDS } from './catalog-form.js';
import { deptName, names } from './records.js';
import { personNames, who } from './people.js';

export const versionHref = (id, n) => `/console/catalog/entries/${encodeURIComponent(id)}/versions/${encodeURIComponent(n)}`;

const yes = (b) => (b ? '是' : '否');

// The entry's own fields as a person compares them: [name, value of a version as text].
const ENTRY_FIELDS = [
  ['目录名称', (v) => v.name],
  ['摘要', (v) => v.abstract],
  ['信息资源代码', (v) => v.resource_code],
  ['信息资源分类', (v) => { const c = v.classification || {}; return [c.class, c.item, c.category, c.sub_category].filter(Boolean).join(' / '); }],
  ['数据格式', (v) => { const f = v.data_format || {}; return [label(FORMAT_CLASSES, f.class), f.type].filter(Boolean).join('：'); }],
  ['更新频率', (v) => label(FREQUENCIES, v.update_frequency)],
  ['共享属性', (v) => label(SHARING_ATTRIBUTES, v.sharing_attribute)],
  ['共享方式', (v) => (v.delivery_methods || []).map((m) => label(DELIVERY_METHODS, m)).join('、')],
  ['共享范围', (v) => (v.usage_conditions || {}).scope || ''],
  ['使用用途', (v) => (v.usage_conditions || {}).permitted_uses || ''],
  ['不予共享理由', (v) => (v.not_shareable || {}).reason || ''],
  ['不予共享依据', (v) => {
    const b = (v.not_shareable || {}).legal_basis || {};
    return [label(LEGAL_BASIS_KINDS, b.kind), b.name, b.article].filter(Boolean).join(' ');
  }],
  ['开放属性', (v) => label(OPEN_ATTRIBUTES, v.open_attribute)],
  ['开放条件', (v) => v.open_condition || ''],
  ['分级', (v) => label(GRADES, v.grade)],
];

// A data item's fields, compared item by item (items are matched by name, unique in an entry).
const ITEM_FIELDS = [
  ['类型', (it) => label(DATA_TYPES, it.data_type)],
  ['长度', (it) => String(it.length ?? 0)],
  ['主键', (it) => yes(it.is_key)],
  ['交换必填', (it) => yes(it.required)],
  ['分级', (it) => label(GRADES, it.grade)],
  ['说明', (it) => it.description || ''],
];

/**
 * compare(prev, cur) → {fields, added, removed, changed}: the entry fields
 * whose text differs ([{name, before, after}]), the items only in cur, only
 * in prev, and those in both whose fields differ ([{item, fields}]).
 */
export function compare(prev, cur) {
  const diff = (table, a, b) => table
    .map(([name, text]) => ({ name, before: text(a), after: text(b) }))
    .filter((d) => d.before !== d.after);
  const before = new Map((prev.items || []).map((it) => [it.name, it]));
  const after = new Map((cur.items || []).map((it) => [it.name, it]));
  return {
    fields: diff(ENTRY_FIELDS, prev, cur),
    added: (cur.items || []).filter((it) => !before.has(it.name)),
    removed: (prev.items || []).filter((it) => !after.has(it.name)),
    changed: (cur.items || []).filter((it) => before.has(it.name))
      .map((it) => ({ item: it.name, fields: diff(ITEM_FIELDS, before.get(it.name), it) }))
      .filter((c) => c.fields.length > 0),
  };
}

/**
 * versionPeople(versions) → Map of the names the history shows: the people
 * who submitted and decided (only those the API lets this reader see: people
 * are personal data, lib/people.js) and the reviewing authorities.
 */
export async function versionPeople(versions) {
  const reviews = versions.map((v) => v.review).filter(Boolean);
  const [people, authorities] = await Promise.all([
    personNames(reviews.flatMap((r) => [r.submitted_by, r.decided_by])),
    names(reviews.map((r) => r.authority_id), deptName),
  ]);
  return new Map([...people, ...authorities]);
}

/** submittedBy(r, e, names), decidedBy(r, names): the department and, where the reader may see them, the person who acted. */
export const submittedBy = (r, e, ns) => who(e.provider_name, ns.get(r.submitted_by));
export const decidedBy = (r, ns) => who(ns.get(r.authority_id), ns.get(r.decided_by));

/** historySection(e, versions, people) → the table of the entry's versions, newest first. */
export function historySection(e, versions, people) {
  const rows = [...versions].sort((a, b) => b.number - a.number);
  return h('section', { 'aria-labelledby': 'versions-heading' },
    h('h2', { id: 'versions-heading' }, '版本记录'),
    rows.length === 0 ? h('p', { class: 'empty' }, '暂无可查看的版本。') : h('table', { 'data-testid': 'versions' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '版本'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '编制时间'),
        h('th', { scope: 'col' }, '报送（负责人）'), h('th', { scope: 'col' }, '审核（主管部门）'), h('th', { scope: 'col' }, '发布日期'))),
      h('tbody', {}, rows.map((v) => {
        const r = v.review || {};
        return h('tr', { 'data-version': v.number },
          h('td', {}, h('a', { href: versionHref(e.id, v.number) }, `第 ${v.number} 版`), v.number === e.version_number ? '（当前显示）' : ''),
          h('td', {}, label(CATALOG_STATES, v.state)),
          h('td', {}, formatDateTime(v.created_at)),
          h('td', {}, r.submitted_at ? `${formatDateTime(r.submitted_at)}，${submittedBy(r, e, people)}` : '—'),
          h('td', {}, r.decided_at ? `${formatDateTime(r.decided_at)}，${decidedBy(r, people)}` : '—'),
          h('td', {}, formatDate(v.published_at) || '—'));
      }))));
}

/** comparison(prev, cur) → the section telling what changed since prev (or that cur is the first). */
export function comparison(prev, cur) {
  if (!prev) {
    return h('section', { 'aria-labelledby': 'diff-heading' },
      h('h2', { id: 'diff-heading' }, '与上一版本比较'),
      h('p', { class: 'empty', 'data-testid': 'diff-none' }, cur.number === 1 ? '这是第 1 版，没有上一版本。' : '没有您可查看的上一版本。'));
  }
  const d = compare(prev, cur);
  const same = d.fields.length + d.added.length + d.removed.length + d.changed.length === 0;
  const itemList = (items, testid) => h('ul', { 'data-testid': testid },
    items.map((it) => h('li', {}, `${it.name}（${label(DATA_TYPES, it.data_type)}，${label(GRADES, it.grade)}）`)));
  return h('section', { 'aria-labelledby': 'diff-heading' },
    h('h2', { id: 'diff-heading' }, `与第 ${prev.number} 版比较`),
    same ? h('p', { class: 'empty', 'data-testid': 'diff-same' }, '内容与上一版本相同。') : null,
    d.fields.length ? h('table', { 'data-testid': 'diff-fields' },
      h('caption', {}, '目录信息的变化'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '字段'), h('th', { scope: 'col' }, `第 ${prev.number} 版`), h('th', { scope: 'col' }, `第 ${cur.number} 版`))),
      h('tbody', {}, d.fields.map((f) => h('tr', {}, h('th', { scope: 'row' }, f.name), h('td', {}, f.before || '—'), h('td', {}, f.after || '—'))))) : null,
    d.added.length ? [h('h3', {}, '新增的数据项'), itemList(d.added, 'diff-added')] : null,
    d.removed.length ? [h('h3', {}, '删除的数据项'), itemList(d.removed, 'diff-removed')] : null,
    d.changed.length ? [h('h3', {}, '修改的数据项'), h('table', { 'data-testid': 'diff-changed' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '数据项'), h('th', { scope: 'col' }, '字段'),
        h('th', { scope: 'col' }, `第 ${prev.number} 版`), h('th', { scope: 'col' }, `第 ${cur.number} 版`))),
      h('tbody', {}, d.changed.flatMap((c) => c.fields.map((f) => h('tr', {},
        h('th', { scope: 'row' }, c.item), h('td', {}, f.name), h('td', {}, f.before || '—'), h('td', {}, f.after || '—'))))))] : null);
}
