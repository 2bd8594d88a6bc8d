// A hosted dataset's deletion by key (POST /datasets/{id}/deletions) and its
// change feed (GET /datasets/{id}/changes), for the provider's sharing
// office on pages/datasets-detail.js. Both are read and sent through the API
// only; the feed shows the key of each change and never the row it wrote.
import { h, replace } from './dom.js';
import { post, qs } from './api.js';
import { formatDateTime } from './format.js';
import { attempt, clearProblems, showProblem, message } from './problems.js';

/** Changes per page of the feed; pages start at multiples of it. */
export const CHANGES_PAGE = 20;

const OPS = { upsert: '新增或更新', delete: '删除' };

/**
 * The feed's page for ?after= (default: the page holding the newest change).
 * Change numbers have no gaps, so pages of CHANGES_PAGE starting at its
 * multiples are stable: the newest page is the one with last_change in it.
 */
export function changesAfter(query, lastChange) {
  const raw = query.get('after');
  if (raw !== null && /^\d+$/.test(raw)) return Number(raw);
  return lastChange > 0 ? Math.floor((lastChange - 1) / CHANGES_PAGE) * CHANGES_PAGE : 0;
}

/** "证书编号：103…；…": the key items' values of a change. */
function keyText(key, keyItems) {
  const names = keyItems.length ? keyItems : Object.keys(key || {});
  return names.map((n) => `${n}：${key && key[n] !== undefined ? String(key[n]) : '—'}`).join('；');
}

/**
 * The change feed's section: one page of changes after `after`, oldest
 * first, with 更早的变更 and 下一页 (the API's next_after) while there are
 * changes either side.
 */
export function changeFeed(entryId, ds, page, after) {
  const items = page.items || [];
  const href = (a) => '/console/datasets/' + encodeURIComponent(entryId) + qs({ after: a });
  const earlier = after > 0 ? h('a', { href: href(Math.max(0, after - CHANGES_PAGE)) }, '更早的变更') : null;
  const next = page.next_after < ds.last_change ? h('a', { href: href(page.next_after) }, '下一页') : null;
  return h('section', { 'aria-labelledby': 'changes-h', 'data-testid': 'dataset-changes' },
    h('h2', { id: 'changes-h' }, '变更记录'),
    h('p', { class: 'lead' }, '每一次新增、更新和删除按变更序号依次记录，批量交换按序号向订阅方推送。此处只列出主键，不显示数据行内容。'),
    items.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'changes-empty' }, ds.last_change ? '此页没有变更。' : '尚无变更。')
      : h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '变更序号'), h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '类型'),
          h('th', { scope: 'col' }, '主键'), h('th', { scope: 'col' }, '载入次数（版本）'))),
        h('tbody', {}, items.map((c) => h('tr', { class: 'change-row', 'data-seq': c.seq, 'data-op': c.op },
          h('td', {}, String(c.seq)), h('td', {}, formatDateTime(c.at)), h('td', {}, OPS[c.op] || c.op),
          h('td', {}, keyText(c.key, ds.key_items || [])), h('td', {}, String(c.version)))))),
    earlier || next ? h('p', { class: 'pager' }, earlier, next) : null);
}

/**
 * A key item's value as the API wants it, typed by the item's data type
 * code (as the server reads a spreadsheet cell): numbers as JSON numbers,
 * 是/否 as logical values, dates written 2026/6/30 as 2026-06-30; text as it
 * is. A value that does not fit is sent as text and refused by the API with
 * its own message.
 */
function keyValue(item, text) {
  switch (item && item.data_type) {
    case 'N': case 'Y': case 'B': case 'F': case 'I':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
    case 'L':
      if (['true', '是', '1'].includes(text.toLowerCase())) return true;
      if (['false', '否', '0'].includes(text.toLowerCase())) return false;
      return text;
    case 'D': {
      const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(text);
      return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : text;
    }
    default:
      return text;
  }
}

/**
 * parseKeys(text, keyItems, items) → {keys, lines} or {problem}: one key per
 * non-blank line; with several key items, their values in the order of
 * keyItems separated by a tab (as copied from a spreadsheet) or “|”.
 * lines[i] is the line number of keys[i], to name it in the API's errors.
 */
export function parseKeys(text, keyItems, items) {
  const byName = new Map((items || []).map((it) => [it.name, it]));
  const keys = [];
  const lines = [];
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const line = all[i].trim();
    if (!line) continue;
    const parts = keyItems.length > 1 ? line.split(/\t|\|/).map((s) => s.trim()) : [line];
    if (parts.length !== keyItems.length || parts.some((s) => !s)) {
      return { problem: { field: 'keys', title: `第 ${i + 1} 行：应依次填写 ${keyItems.join('、')} 共 ${keyItems.length} 项，用制表符或“|”分隔` } };
    }
    keys.push(Object.fromEntries(keyItems.map((n, j) => [n, keyValue(byName.get(n), parts[j])])));
    lines.push(i + 1);
  }
  if (keys.length === 0) return { problem: { field: 'keys', title: '请填写要删除的数据行的主键值，每行一个' } };
  if (keys.length > 5000) return { problem: { field: 'keys', title: `一次最多删除 5000 行，现有 ${keys.length} 行` } };
  return { keys, lines };
}

/**
 * The deletion form: key values in a textarea, a second, explicit
 * confirmation on the page (deleting cannot be undone: the rows leave the
 * service interface and batch exchange at once), then POST …/deletions with
 * the dataset version read (version(): an upload on the page moves it).
 * done(result) re-reads the page. A bad key is
 * shown beside the textarea with its line; nothing is deleted then.
 */
export function deletionForm(entryId, entry, ds, version, done) {
  const keyItems = ds.key_items || [];
  const keys = h('textarea', { id: 'ds-keys', name: 'keys', rows: 5, required: true, 'aria-describedby': 'ds-keys-hint' });
  const confirmText = h('p', { role: 'alert' });
  const confirm = h('div', { class: 'confirm', hidden: true },
    confirmText,
    h('button', { type: 'submit', class: 'button-danger' }, '确认删除'), ' ',
    h('button', { type: 'button', class: 'button-plain' }, '返回'));
  const ask = h('button', { type: 'button', class: 'button-plain' }, '删除数据行');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'delete-h', novalidate: true, 'data-testid': 'deletion-form' },
    h('h2', { id: 'delete-h' }, '按主键删除数据行'),
    h('div', { class: 'field' },
      h('label', { for: 'ds-keys' }, `主键值（${keyItems.join('、')}），每行一个`), keys,
      h('small', { id: 'ds-keys-hint', class: 'rule' },
        keyItems.length > 1
          ? `每行依次填写 ${keyItems.join('、')}，用制表符（从表格复制）或“|”分隔。`
          : `每行填写一个${keyItems[0] || '主键'}。`,
        '删除后该行不再通过服务接口和批量交换提供，变更记录中保留删除记录；未找到的主键不影响其他行。一次最多 5000 行。')),
    ask, confirm);

  let parsed = null;
  const back = () => { confirm.hidden = true; ask.hidden = false; };
  ask.addEventListener('click', () => {
    parsed = parseKeys(keys.value, keyItems, entry.items);
    if (parsed.problem) {
      showProblem(form, parsed.problem);
      return;
    }
    clearProblems(form);
    replace(confirmText, `将删除 ${parsed.keys.length} 个主键对应的数据行，删除后不能撤销。确定删除吗？`);
    confirm.hidden = false;
    ask.hidden = true;
    confirm.querySelector('button').focus();
  });
  confirm.querySelector('button[type="button"]').addEventListener('click', () => { back(); ask.focus(); });
  // What is confirmed is what was read: a changed text asks again.
  keys.addEventListener('input', back);

  // The API's errors name keys[i].item; the person sees lines of the text box.
  const toProblem = (p) => {
    if (!p.errors || !p.errors.length) return p.field && p.field.startsWith('keys') ? { ...p, field: 'keys' } : p;
    const lines = parsed ? parsed.lines : [];
    const text = p.errors.map((e) => `第 ${lines[e.index] || e.index + 1} 行${e.item ? `（${e.item}）` : ''}：${message(e)}`).join('；');
    return { ...p, field: 'keys', title: text, code: '' };
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!parsed || parsed.problem) return;
    const sent = parsed;
    return attempt(form, async () => {
      const r = await post('/datasets/' + encodeURIComponent(entryId) + '/deletions', { keys: sent.keys, version: version() });
      await done(r);
    }, (p) => { back(); return toProblem(p); });
  });
  return form;
}

/** What a deletion did, in words, for notice(). */
export function deletionNotice(r) {
  return `已删除 ${r.deleted} 行` + (r.absent ? `，${r.absent} 个主键未找到对应的数据行` : '') + `；现有 ${r.row_count} 行。`;
}
