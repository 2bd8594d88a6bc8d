// 使用记录 (Art. 29): the grants whose usage records the person may read,
// the delivered grants still missing a record in the last 90 days
// (GET /api/v1/usage-records/missing), and, for those who inspect, the
// inspection export of one department's records or events of a period
// (GET /api/v1/inspections/export, CSV or XLSX). docs/usage-records.md.
import { h, replace } from '../lib/dom.js';
import { get, qs } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { deptName, names, trailHref, fetchFile, saveBlob } from '../lib/records.js';

export const title = '使用记录';

const GRANT_STATES = { active: '有效', suspended: '已暂停', terminated: '已终止', expired: '已过期', disposed: '已处置' };

// docs/access.md: the export is for reviewers and auditors of the region
// and the department's own office head.
const EXPORTERS = ['authority_reviewer', 'office_head', 'auditor'];

export async function render({ main, session }) {
  const { person, department } = session;
  const roles = person.roles || [];
  const [grants, missing] = await Promise.all([
    roles.includes('platform_admin') ? { items: [] } : get('/grants' + qs({ limit: 100 })),
    get('/usage-records/missing' + qs({ limit: 100 })),
  ]);
  const depts = await names([...grants.items, ...missing.items].flatMap((g) => [g.consumer_id, g.provider_id]), deptName);
  const dn = (id) => depts.get(id) || id;
  const canExport = roles.some((r) => EXPORTERS.includes(r));
  replace(main,
    h('h1', {}, '使用记录'),
    h('p', { class: 'lead' }, '需求部门应当记录共享数据的使用场景、使用过程、应用成效、存储情况和销毁情况，记录保存不少于3年（《政务数据共享条例》第二十九条）。'),
    h('section', { 'aria-labelledby': 'missing-heading' },
      h('h2', { id: 'missing-heading' }, '待填写使用记录'),
      missing.items.length === 0
        ? h('p', { class: 'empty' }, '没有超过90日未填写使用记录的共享授权。')
        : h('table', { 'data-testid': 'missing-records' },
          h('caption', { class: 'visually-hidden' }, '已共享数据但90日内未填写使用记录的共享授权'),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, '数据目录'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
            h('th', { scope: 'col' }, '授权状态'), h('th', { scope: 'col' }, '首次共享'), h('th', { scope: 'col' }, '最近记录'))),
          h('tbody', {}, missing.items.map((m) => h('tr', {},
            h('td', {}, h('a', { href: '/console/records/grants/' + encodeURIComponent(m.grant_id) }, m.entry_name)),
            h('td', {}, dn(m.consumer_id)),
            h('td', {}, dn(m.provider_id)),
            h('td', {}, GRANT_STATES[m.state] || m.state),
            h('td', {}, formatDate(m.delivered_at)),
            h('td', {}, m.last_recorded_at ? formatDateTime(m.last_recorded_at) : '从未填写')))))),
    roles.includes('platform_admin') ? null : h('section', { 'aria-labelledby': 'grants-heading' },
      h('h2', { id: 'grants-heading' }, '共享授权'),
      grants.items.length === 0
        ? h('p', { class: 'empty' }, '暂无可查阅的共享授权。')
        : h('table', { 'data-testid': 'record-grants' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, '数据目录'), h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '提供部门'),
            h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '有效期至'), h('th', { scope: 'col' }, '记录'))),
          h('tbody', {}, grants.items.map((g) => h('tr', {},
            h('td', {}, g.entry_name || g.entry_id),
            h('td', {}, dn(g.consumer_id)),
            h('td', {}, dn(g.provider_id)),
            h('td', {}, GRANT_STATES[g.state] || g.state),
            h('td', {}, formatDate(g.valid_until)),
            h('td', { class: 'row-actions' },
              h('a', { href: '/console/records/grants/' + encodeURIComponent(g.id), 'aria-label': `${g.entry_name} 的使用记录` }, '使用记录'),
              ' ',
              h('a', { href: trailHref('grant', g.id), 'aria-label': `${g.entry_name} 的操作记录` }, '操作记录'))))))),
    canExport ? await exportSection(person, department) : null);
}

async function exportSection(person, department) {
  const roles = person.roles || [];
  const onlyOwn = !roles.includes('authority_reviewer') && !roles.includes('auditor');
  let choices;
  if (onlyOwn) {
    choices = department ? [department] : [];
  } else {
    const all = await get('/departments' + qs({ limit: 500 }));
    choices = all.items;
  }
  const today = new Date();
  const iso = (d) => d.toISOString().slice(0, 10);
  const yearAgo = new Date(today.getTime() - 365 * 86400_000);
  const tomorrow = new Date(today.getTime() + 86400_000);
  const field = (id, text, control, hint) => h('div', { class: 'field' }, h('label', { for: id }, text), control,
    hint ? h('small', { class: 'hint', id: id + '-hint' }, hint) : null);
  const form = h('form', { class: 'export-form', novalidate: true, 'aria-labelledby': 'export-heading' },
    field('export-dept', '被检查部门', h('select', { id: 'export-dept', name: 'department_id', required: true },
      choices.map((d) => h('option', { value: d.id, selected: department && d.id === department.id }, d.name)))),
    h('div', { class: 'field-row' },
      field('export-from', '起始日期（含）', h('input', { id: 'export-from', name: 'from', type: 'date', required: true, value: iso(yearAgo) })),
      field('export-to', '截止日期（不含）', h('input', { id: 'export-to', name: 'to', type: 'date', required: true, value: iso(tomorrow), 'aria-describedby': 'export-to-hint' }),
        '导出截止日期前一天及以前的内容')),
    h('div', { class: 'field-row' },
      field('export-what', '导出内容', h('select', { id: 'export-what', name: 'what' },
        h('option', { value: 'records' }, '使用记录（每个版本一行）'), h('option', { value: 'events' }, '操作记录'))),
      field('export-format', '文件格式', h('select', { id: 'export-format', name: 'format' },
        h('option', { value: 'csv' }, 'CSV（UTF-8，可用 Excel 打开）'), h('option', { value: 'xlsx' }, 'XLSX（Excel 工作簿）')))),
    h('button', { type: 'submit' }, '导出文件'),
    h('p', { class: 'status', role: 'status', 'data-testid': 'export-status' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const button = form.querySelector('button');
    const status = form.querySelector('.status');
    status.textContent = '正在导出…';
    button.disabled = true;
    try {
      const { blob, filename } = await fetchFile('/inspections/export' + qs({
        department_id: form.department_id.value, from: form.from.value, to: form.to.value,
        what: form.what.value, format: form.format.value,
      }));
      saveBlob(blob, filename);
      status.textContent = `已导出 ${filename}。每次导出均记入操作记录。`;
    } catch (err) {
      status.textContent = '';
      showProblem(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'export-heading' },
    h('h2', { id: 'export-heading' }, '监督检查导出'),
    h('p', {}, onlyOwn
      ? '您可以导出本部门某一期间的使用记录或操作记录，供监督检查使用。'
      : '您可以导出辖区内某一部门某一期间的使用记录或操作记录，供监督检查使用。'),
    form);
}
