// Importing catalog entries from an XLSX workbook (docs/catalog-xlsx.md):
// the sharing office uploads its department's catalog, one row per data
// item; every entry is created as a draft of its own department, or, when
// any cell is wrong, nothing is and every bad cell is listed by row and
// column. Also the download of the department's own entries and of the
// published catalog as a template.
import { h, replace } from '../lib/dom.js';
import { Problem } from '../lib/api.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { exportLink, importWorkbook } from '../lib/catalog-xlsx.js';

export const title = '导入目录';

export async function render({ main }) {
  const outcome = h('div', { class: 'load-outcome', 'aria-live': 'polite' });
  const file = h('input', { id: 'cat-file', name: 'file', type: 'file', accept: '.xlsx', 'aria-describedby': 'cat-file-hint' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'import-h', novalidate: true },
    h('h2', { id: 'import-h' }, '上传目录文件'),
    h('div', { class: 'field' }, h('label', { for: 'cat-file' }, '目录文件（XLSX）'), file,
      h('small', { id: 'cat-file-hint', class: 'rule' },
        '工作表“信息资源目录”，第一行为表头，每行一个数据项，资源代码相同的行属于同一目录；列的含义见导出文件的“填写说明”工作表。'
        + '文件不超过 10 MiB。任何一格有误则不导入任何目录，并逐格报告错误。')),
    h('button', { type: 'submit' }, '上传并导入'));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearProblems(form);
    replace(outcome);
    const f = file.files[0];
    if (!f || !/\.xlsx$/i.test(f.name)) {
      showProblem(form, { field: 'file', title: f ? '请选择扩展名为 .xlsx 的文件' : '请选择要上传的文件' });
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      replace(outcome, created(await importWorkbook(f)));
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      if (err.errors.length) replace(outcome, cellReport(err));
      else showProblem(form, { ...err, field: 'file', title: err.title, code: err.code, status: err.status });
    } finally {
      button.disabled = false;
    }
  });

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/catalog/review' }, '目录编审'), ' / 导入目录'),
    h('h1', {}, '导入目录'),
    h('p', {}, '导入的目录均为本部门的草稿，须逐一登记安全评估并经负责人审批后报送。资源代码在全平台唯一，重新导入本部门导出的文件时请改用新的资源代码。'),
    h('p', { class: 'acts-inline' }, exportLink({ scope: 'own' }, '导出本部门目录（含草稿）')),
    form,
    outcome);
}

/** The drafts an import created, each linked, with the Art. 19 duplicates told. */
function created(rep) {
  return h('section', { role: 'status', 'aria-labelledby': 'created-h', 'data-testid': 'import-created' },
    h('h2', { id: 'created-h' }, `已导入：${rep.created} 个目录草稿（共 ${rep.rows} 行）`),
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '起始行'), h('th', { scope: 'col' }, '资源代码'), h('th', { scope: 'col' }, '目录名称'),
        h('th', { scope: 'col' }, '数据项数'), h('th', { scope: 'col' }, '其他部门已共享的数据项（第十九条）'))),
      h('tbody', {}, (rep.entries || []).map((e) => h('tr', {},
        h('td', {}, `第 ${e.row} 行`), h('td', {}, e.resource_code),
        h('td', {}, h('a', { href: '/console/catalog/entries/' + encodeURIComponent(e.id) }, e.name)),
        h('td', {}, e.items),
        h('td', {}, (e.duplicates || []).map((d) => `${d.item}（${d.department_name}：${d.entry_name}）`).join('；') || '—'))))));
}

/** Every bad cell of a refused file: nothing was imported. */
function cellReport(problem) {
  return h('section', { class: 'row-report', role: 'alert', 'aria-labelledby': 'report-h', 'data-testid': 'import-report' },
    h('h2', { id: 'report-h' }, `未导入：发现 ${problem.errors.length} 处错误，未导入任何目录`),
    h('p', {}, '请在原文件中改正下列各处后重新上传。'),
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '工作表'), h('th', { scope: 'col' }, '行号'), h('th', { scope: 'col' }, '列'),
        h('th', { scope: 'col' }, '问题'))),
      h('tbody', {}, problem.errors.map((e) => h('tr', { class: 'row-error' },
        h('td', {}, e.sheet || ''), h('td', {}, `第 ${e.row} 行`),
        h('td', {}, [e.column, e.header].filter(Boolean).join(' ') || '—'),
        h('td', {}, e.title, allowed(e.detail) ? h('small', { class: 'rule' }, allowed(e.detail)) : null))))));
}

// The values a coded column takes, when the API's detail lists them ("…; 可填写：实时、每日…").
function allowed(detail) {
  const i = (detail || '').indexOf('可填写：');
  return i < 0 ? '' : detail.slice(i);
}
