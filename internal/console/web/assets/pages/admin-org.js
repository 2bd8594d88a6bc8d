// Organisations (机构与人员, docs/access.md): the tree of administrative
// divisions (GET /api/v1/divisions), the departments in them (GET
// /api/v1/departments, filtered to a division's subtree with ?region=), and
// for platform admins the forms that add a division or a department. Every
// signed-in person may read divisions and departments; the people of each
// department are on the department's page, as far as the API lets the
// reader see them.
import { h, replace } from '../lib/dom.js';
import { post, qs } from '../lib/api.js';
import { label } from '../lib/labels.js';
import { LEVELS, LEVEL_ORDER, DEPARTMENT_KINDS } from '../lib/admin-labels.js';
import { field, onSubmit } from '../lib/admin-form.js';
import { getAll, mayCreateOrganisations } from '../lib/admin-org.js';

export const title = '机构与人员';

export async function render({ main, query, session, navigate }) {
  const region = query.get('region') || '';
  const [divisions, departments] = await Promise.all([getAll('/divisions'), getAll('/departments', { region })]);
  const byCode = new Map(divisions.map((d) => [d.code, d]));
  const admin = mayCreateOrganisations(session.person);
  const reload = () => navigate(location.pathname + location.search, { replaceState: true });

  const filter = h('form', { class: 'search', role: 'search' },
    field('region', '只看该区划（含下级）的部门', {
      tag: 'select', value: region,
      options: [['', '全部区划'], ...divisions.map((d) => [d.code, `${d.name}（${d.code}）`])],
    }),
    h('button', { type: 'submit' }, '筛选'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/admin/org' + qs({ region: filter.region.value }));
  });

  replace(main,
    h('h1', {}, '机构与人员'),
    h('p', { class: 'lead' }, '行政区划、各级政务部门和政务数据共享主管部门，以及各部门的政务数据共享工作机构和负责人（第十一条）。',
      '人员账号在各部门页面中查看和管理。'),
    h('p', { class: 'related' }, h('a', { href: '/console/admin/people' }, '全部可见人员')),
    h('section', { 'aria-labelledby': 'div-h' },
      h('h2', { id: 'div-h' }, '行政区划'),
      divisions.length === 0 ? h('p', { class: 'empty' }, '尚无行政区划。') : h('div', { 'data-testid': 'division-tree' }, tree(divisions)),
      admin ? divisionForm(divisions, reload) : null),
    h('section', { 'aria-labelledby': 'dept-h' },
      h('h2', { id: 'dept-h' }, '部门'),
      filter,
      departments.length === 0
        ? h('p', { class: 'empty' }, '该范围内没有部门。')
        : h('table', { 'data-testid': 'departments' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, '部门名称'), h('th', { scope: 'col' }, '所在区划'),
            h('th', { scope: 'col' }, '类型'), h('th', { scope: 'col' }, '政务数据共享工作机构'))),
          h('tbody', {}, departments.map((d) => h('tr', {},
            h('td', {}, h('a', { href: '/console/admin/departments/' + encodeURIComponent(d.id) }, d.name)),
            h('td', {}, byCode.get(d.division_code)?.name || d.division_code),
            h('td', {}, label(DEPARTMENT_KINDS, d.kind)),
            h('td', {}, d.office_name || '尚未确定'))))),
      admin ? departmentForm(divisions, navigate) : null));
}

/** The divisions as nested lists, from the top down. */
function tree(divisions) {
  const children = new Map();
  const codes = new Set(divisions.map((d) => d.code));
  for (const d of divisions) {
    const parent = d.parent_code && codes.has(d.parent_code) ? d.parent_code : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(d);
  }
  const list = (parent) => {
    const xs = children.get(parent);
    if (!xs) return null;
    xs.sort((a, b) => a.code.localeCompare(b.code));
    return h('ul', { class: 'division-tree' }, xs.map((d) => h('li', { 'data-code': d.code },
      h('span', {}, d.name), ' ', h('small', { class: 'rule' }, `${label(LEVELS, d.level)} · ${d.code}`),
      list(d.code))));
  };
  return list('');
}

function divisionForm(divisions, reload) {
  const parents = divisions.filter((d) => !['village'].includes(d.level));
  const form = h('form', { class: 'panel', 'aria-labelledby': 'new-div-h', novalidate: true, 'data-testid': 'division-form' },
    h('h3', { id: 'new-div-h' }, '新增行政区划'),
    field('code', '区划代码', { hint: '县级及以上 6 位（GB/T 2260），乡镇 9 位，村（社区）12 位，须以上级代码开头', inputmode: 'numeric' }),
    field('name', '区划名称', { maxlength: 100 }),
    field('level', '层级', { tag: 'select', options: [['', '请选择'], ...LEVEL_ORDER.map((l) => [l, LEVELS[l]])] }),
    field('parent_code', '上级区划', {
      tag: 'select', options: [['', '无（仅国家级）'], ...parents.map((d) => [d.code, `${d.name}（${d.code}）`])],
    }),
    h('button', { type: 'submit' }, '新增区划'));
  return onSubmit(form, async () => {
    await post('/divisions', {
      code: form.code.value.trim(), name: form.elements.namedItem('name').value.trim(),
      level: form.level.value, parent_code: form.parent_code.value,
    });
    await reload();
  });
}

function departmentForm(divisions, navigate) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'new-dept-h', novalidate: true, 'data-testid': 'department-form' },
    h('h3', { id: 'new-dept-h' }, '新增部门'),
    field('name', '部门名称', { maxlength: 100 }),
    field('division_code', '所在行政区划', {
      tag: 'select', options: [['', '请选择'], ...divisions.map((d) => [d.code, `${d.name}（${d.code}）`])],
    }),
    field('kind', '类型', { tag: 'select', options: Object.entries(DEPARTMENT_KINDS) }),
    field('credit_code', '统一社会信用代码（可选）', { maxlength: 18, hint: '18 位，GB 32100' }),
    field('office_name', '政务数据共享工作机构名称（可选）', { maxlength: 100, hint: '负责人在部门页面中指定' }),
    h('button', { type: 'submit' }, '新增部门'));
  return onSubmit(form, async () => {
    const d = await post('/departments', {
      name: form.elements.namedItem('name').value.trim(), division_code: form.division_code.value, kind: form.kind.value,
      credit_code: form.credit_code.value.trim(), office_name: form.office_name.value.trim(),
    });
    await navigate('/console/admin/departments/' + encodeURIComponent(d.id));
  });
}
