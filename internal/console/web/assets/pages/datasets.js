// Hosted datasets (数据托管): the published catalog entries of the person's
// own department, whose rows its sharing office loads for the service
// interface and batch exchange to deliver. There is no listing of datasets
// in the API; the department's published entries are where they can be.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { DELIVERY_METHODS, label } from '../lib/labels.js';

export const title = '数据托管';

export async function render({ main, query, session }) {
  const cursor = query.get('cursor') || '';
  const dept = session.person.department_id;
  const page = await get('/catalog/entries' + qs({ provider_id: dept, cursor, limit: 50 }));
  replace(main,
    h('h1', {}, '数据托管'),
    h('p', { class: 'lead' }, `${session.department ? session.department.name : '本部门'}已发布的目录。选择目录查看托管数据并上传数据文件。`),
    page.items.length === 0
      ? h('p', { class: 'empty' }, '本部门暂无已发布的目录。')
      : h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '目录名称'), h('th', { scope: 'col' }, '共享方式'),
          h('th', { scope: 'col' }, '发布日期'))),
        h('tbody', {}, page.items.map((e) => h('tr', {},
          h('td', {}, h('a', { href: '/console/datasets/' + encodeURIComponent(e.id) }, e.name)),
          h('td', {}, (e.delivery_methods || []).map((m) => label(DELIVERY_METHODS, m)).join('、')),
          h('td', {}, formatDate(e.published_at)))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/datasets' + qs({ cursor: page.next_cursor }) }, '下一页')) : null);
}
