// Source departments (数据源部门, Art. 19): which department is the source of
// a kind of data (a data item name such as 居民身份证号码) in a region
// (GET /api/v1/catalog/source-designations), for every catalog reader; an
// authority's reviewer designates one within its own region (POST). Entries
// show the designation that applies to each of their items. Filters live in
// the URL, so a listing can be linked and Back returns to it.
import { h, replace } from '../lib/dom.js';
import { get, post, qs } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { attempt, notice } from '../lib/problems.js';
import { deptName, names } from '../lib/records.js';

export const title = '数据源部门';

export async function render({ main, query, session, navigate }) {
  const dataName = query.get('data_name') || '';
  const cursor = query.get('cursor') || '';
  const page = await get('/catalog/source-designations' + qs({ data_name: dataName, cursor, limit: 50 }));
  const items = page.items || [];
  const authorities = await names(items.map((d) => d.authority_id), deptName);
  const { person, department } = session;
  const designator = (person.roles || []).includes('authority_reviewer') && !!department;

  const search = h('form', { class: 'search', role: 'search' },
    h('label', { for: 'src-data-name' }, '数据名称'),
    h('input', { id: 'src-data-name', name: 'data_name', type: 'search', value: dataName }),
    h('button', { type: 'submit' }, '查询'));
  search.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/console/catalog/sources' + qs({ data_name: search.elements.data_name.value.trim() }));
  });

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/catalog' }, '数据目录'), ' / 数据源部门'),
    h('h1', {}, '数据源部门'),
    h('p', { class: 'hint' }, '同一数据由主管部门指定的数据源部门负责采集和提供，其他部门不得重复采集（第十九条）。目录的数据项按名称对应最近一级主管部门的指定。'),
    search,
    items.length === 0
      ? h('p', { class: 'empty' }, dataName ? `没有“${dataName}”的数据源部门指定。` : '暂无数据源部门指定。')
      : h('table', { 'data-testid': 'designations' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '数据名称'), h('th', { scope: 'col' }, '数据源部门'), h('th', { scope: 'col' }, '指定的主管部门'),
          h('th', { scope: 'col' }, '备注'), h('th', { scope: 'col' }, '指定日期'))),
        h('tbody', {}, items.map((d) => h('tr', {},
          h('td', {}, d.data_name), h('td', {}, d.source_department_name),
          h('td', {}, authorities.get(d.authority_id) || d.authority_id), h('td', {}, d.note || ''),
          h('td', {}, formatDate(d.created_at)))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/catalog/sources' + qs({ data_name: dataName, cursor: page.next_cursor }) }, '下一页')) : null,
    designator ? await designateForm(department, async (d) => {
      await navigate('/console/catalog/sources' + qs({ data_name: d.data_name }));
      notice(main, `已指定${d.source_department_name}为“${d.data_name}”的数据源部门。`);
    }) : null);
}

// The reviewer's form: the departments offered are those of its own region.
async function designateForm(department, done) {
  const depts = await get('/departments' + qs({ region: department.division_code, limit: 500 })).then((p) => p.items || []);
  const form = h('form', { class: 'act', 'data-testid': 'act-designate', novalidate: true },
    h('p', { class: 'hint' }, `在本主管部门（${department.name}）的行政区域内指定。`),
    h('div', { class: 'field' }, h('label', { for: 'src-new-name' }, '数据名称（与目录数据项名称一致）'),
      h('input', { id: 'src-new-name', name: 'data_name' })),
    h('div', { class: 'field' }, h('label', { for: 'src-new-dept' }, '数据源部门'),
      h('select', { id: 'src-new-dept', name: 'source_department_id' },
        h('option', { value: '' }, '请选择'),
        depts.map((d) => h('option', { value: d.id }, d.name)))),
    h('div', { class: 'field' }, h('label', { for: 'src-new-note' }, '备注（可选）'),
      h('textarea', { id: 'src-new-note', name: 'note', rows: 2 })),
    h('button', { type: 'submit' }, '指定'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    attempt(form, async () => {
      const d = await post('/catalog/source-designations', { data_name: v('data_name'), source_department_id: v('source_department_id'), note: v('note') });
      await done(d);
    });
  });
  return h('section', { class: 'acts', 'aria-labelledby': 'designate-heading' },
    h('h2', { id: 'designate-heading' }, '指定数据源部门'), form);
}
