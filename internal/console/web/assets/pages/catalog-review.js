// Catalog work (目录编审): the catalog items of the person's to-do list
// (GET /api/v1/todo, docs/catalog.md "To-do items"). A reviewer sees the
// entries submitted to its authority, with the 2-working-day review
// deadline (Art. 17); a sharing office sees its drafts, returned entries and
// those waiting for its head, and may start a new entry or import a
// workbook. Both see the update obligations after a change (Art. 17): the
// office those it must fulfil, the reviewer the extensions it must decide.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { formatDate, deadline } from '../lib/format.js';
import { TODO_KINDS, label } from '../lib/labels.js';
import { exportLink } from '../lib/catalog-xlsx.js';

export const title = '目录编审';

const OFFICE_KINDS = ['catalog.draft', 'catalog.returned', 'catalog.approve'];

export async function render({ main, session }) {
  const roles = session.person.roles || [];
  const reviewer = roles.includes('authority_reviewer');
  const office = roles.includes('office_head') || roles.includes('office_staff');
  const page = await get('/todo');
  const items = page.items || [];
  const sections = [];
  if (reviewer) {
    sections.push(h('section', { 'aria-labelledby': 'review-queue' },
      h('h2', { id: 'review-queue' }, '待审核的目录'),
      h('p', { class: 'hint' }, '本级共享工作机构报送的目录，应自收到之日起2个工作日内发布或退回（第十七条）。'),
      table(items.filter((it) => it.kind === 'catalog.review'), 'review-queue-table', '暂无待审核的目录。')),
      h('section', { 'aria-labelledby': 'extension-queue' },
        h('h2', { id: 'extension-queue' }, '待决定的目录更新延期申请'),
        h('p', { class: 'hint' }, '提供部门申请在10个工作日的更新期限外延长5个工作日（第十七条），应在原期限届满前决定。'),
        table(items.filter((it) => it.kind === 'catalog.extension'), 'extension-queue-table', '暂无待决定的延期申请。')),
      h('p', {}, h('a', { href: '/console/catalog/sources' }, '数据源部门：查看和指定（第十九条）')));
  }
  if (office) {
    sections.push(h('section', { 'aria-labelledby': 'office-work' },
      h('h2', { id: 'office-work' }, '本部门编制中的目录'),
      h('p', { class: 'acts-inline' }, h('a', { class: 'button-link', href: '/console/catalog/new' }, '新建目录'), ' ',
        h('a', { class: 'button-link', href: '/console/catalog/import' }, '从 XLSX 导入'), ' ',
        exportLink({ scope: 'own' }, '导出本部门目录（XLSX）')),
      table(items.filter((it) => OFFICE_KINDS.includes(it.kind)), 'office-work-table', '暂无编制中的目录。')),
      h('section', { 'aria-labelledby': 'update-work' },
        h('h2', { id: 'update-work' }, '待更新的目录'),
        h('p', { class: 'hint' }, '法律法规调整或职责变化后，应自发生之日起10个工作日内报送更新的目录（第十七条）。'),
        table(items.filter((it) => it.kind === 'catalog.update'), 'update-work-table', '暂无待更新的目录。')));
  }
  replace(main, h('h1', {}, '目录编审'), sections);
}

// An update obligation's item leads to the obligation, the others to the entry.
function hrefOf(it) {
  const base = it.object_type === 'catalog_obligation' ? '/console/catalog/obligations/' : '/console/catalog/entries/';
  return base + encodeURIComponent(it.object_id);
}

function table(items, testid, empty) {
  if (items.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', { class: 'todo', 'data-testid': testid },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '目录名称'), h('th', { scope: 'col' }, '事项'),
      h('th', { scope: 'col' }, '期限'), h('th', { scope: 'col' }, '剩余工作日'))),
    h('tbody', {}, items.map((it) => {
      const d = deadline(it);
      return h('tr', { class: 'todo-item ' + d.cls, 'data-kind': it.kind },
        h('td', {}, h('a', { href: hrefOf(it) }, it.title)),
        h('td', {}, label(TODO_KINDS, it.kind)),
        h('td', {}, it.due ? [formatDate(it.due), it.rule ? h('small', { class: 'rule' }, it.rule) : null] : '—'),
        h('td', {}, h('span', { class: 'deadline ' + d.cls }, d.text)));
    })));
}
