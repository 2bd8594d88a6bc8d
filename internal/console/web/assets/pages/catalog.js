// The published catalog: Chinese full-text search (GET /api/v1/catalog/entries?q=).
// The query lives in the URL, so a search can be linked and Back returns to it.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { GRADES, SHARING_ATTRIBUTES, label } from '../lib/labels.js';
import { exportLink } from '../lib/catalog-xlsx.js'; // catalog XLSX area

export const title = '数据目录';

export async function render({ main, query, navigate }) {
  const q = query.get('q') || '';
  const cursor = query.get('cursor') || '';
  const page = await get('/catalog/entries' + qs({ q, cursor, limit: 20 }));
  const form = h('form', { class: 'search', role: 'search' },
    h('label', { for: 'q' }, '关键词'),
    h('input', { id: 'q', name: 'q', type: 'search', value: q }),
    h('button', { type: 'submit' }, '搜索'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/catalog' + qs({ q: form.q.value.trim() }));
  });
  replace(main,
    h('h1', {}, '数据目录'),
    form,
    // Catalog XLSX and source departments area: the search's results as a workbook (docs/catalog-xlsx.md), Art. 19.
    h('p', { class: 'catalog-links' }, exportLink({ q }, q ? '导出搜索结果（XLSX）' : '导出已发布目录（XLSX）'), ' ',
      h('a', { href: '/console/catalog/sources' }, '数据源部门')),
    page.items.length === 0
      ? h('p', { class: 'empty' }, q ? `没有找到与“${q}”相关的已发布目录。` : '暂无已发布的目录。')
      : h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '目录名称'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '共享属性'), h('th', { scope: 'col' }, '分级'), h('th', { scope: 'col' }, '发布日期'))),
        h('tbody', {}, page.items.map((e) => h('tr', {},
          h('td', {}, h('a', { href: '/console/catalog/entries/' + encodeURIComponent(e.id) }, e.name)),
          h('td', {}, e.provider_name),
          h('td', {}, label(SHARING_ATTRIBUTES, e.sharing_attribute)),
          h('td', {}, label(GRADES, e.grade)),
          h('td', {}, formatDate(e.published_at)))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/catalog' + qs({ q, cursor: page.next_cursor }) }, '下一页')) : null);
}
