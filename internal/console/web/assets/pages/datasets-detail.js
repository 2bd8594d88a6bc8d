// One hosted dataset (GET /api/v1/datasets/{entry_id}) and loading it from a
// CSV, XLSX or JSON file. A load with any bad value writes nothing: the
// page then lists every bad value by its row in the file, data item and a
// Chinese message, and says that nothing changed. Below: deleting rows by
// key, with a confirmation, and the change feed (lib/dataset-acts.js).
import { h, replace } from '../lib/dom.js';
import { get, qs, Problem } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { showProblem, clearProblems, notice } from '../lib/problems.js';
import { LOAD_MODES } from '../lib/delivery.js';
import { loadFile, fileKind } from '../lib/delivery-upload.js';
import { CHANGES_PAGE, changesAfter, changeFeed, deletionForm, deletionNotice } from '../lib/dataset-acts.js';

export const title = '托管数据';

export async function render({ main, params, query, navigate }) {
  const id = params.id;
  const [entry, ds] = await Promise.all([
    get('/catalog/entries/' + encodeURIComponent(id)),
    get('/datasets/' + encodeURIComponent(id)),
  ]);
  const changesOf = (after) => get(`/datasets/${encodeURIComponent(id)}/changes` + qs({ after, limit: CHANGES_PAGE }));
  const after = changesAfter(query, ds.last_change);
  const feed = h('div', {}, changeFeed(id, ds, await changesOf(after), after));
  document.title = `${entry.name} · ${document.title}`;
  let version = ds.version;

  const facts = h('dl', { class: 'facts', 'data-testid': 'dataset-facts' });
  const fill = (d) => {
    const row = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
    replace(facts,
      row('数据行数', h('span', { 'data-testid': 'row-count' }, String(d.row_count))),
      row('载入次数（版本）', String(d.version)),
      row('最新变更序号', String(d.last_change)),
      row('最近更新', d.updated_at ? formatDateTime(d.updated_at) : '尚未载入'),
      row('主键数据项', (d.key_items || []).join('、') || '—'),
      row('核对依据', `目录第 ${d.entry_version} 版的数据项`));
  };
  fill(ds);

  const outcome = h('div', { class: 'load-outcome', 'aria-live': 'polite' });
  const file = h('input', { id: 'ds-file', name: 'file', type: 'file', accept: '.csv,.xlsx,.json', required: true, 'aria-describedby': 'ds-file-hint' });
  const mode = h('select', { id: 'ds-mode', name: 'mode' },
    Object.entries(LOAD_MODES).map(([v, t]) => h('option', { value: v }, t)));
  const form = h('form', { class: 'panel', 'aria-labelledby': 'upload-h', novalidate: true },
    h('h2', { id: 'upload-h' }, '上传数据文件'),
    h('div', { class: 'field' }, h('label', { for: 'ds-file' }, '数据文件（CSV、XLSX 或 JSON）'), file,
      h('small', { id: 'ds-file-hint', class: 'rule' },
        `CSV/XLSX 的第一行为表头，列名为数据项名称：${(entry.items || []).map((it) => it.name).join('、')}。`
        + 'JSON 为数据行的数组。任何一格有误则整批不写入，并逐行报告错误。')),
    h('div', { class: 'field' }, h('label', { for: 'ds-mode' }, '载入方式'), mode),
    h('button', { type: 'submit' }, '上传并载入'));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    replace(outcome);
    const f = file.files[0];
    if (!f || !fileKind(f.name)) {
      showProblem(form, { field: 'file', title: f ? '请选择扩展名为 .csv、.xlsx 或 .json 的文件' : '请选择要上传的文件' });
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const r = await loadFile(id, f, { mode: mode.value, version });
      version = r.version;
      replace(outcome, h('p', { class: 'load-ok', role: 'status', 'data-testid': 'load-ok' },
        `已载入：收到 ${r.received} 行，新增 ${r.inserted} 行，更新 ${r.updated} 行，未变 ${r.unchanged} 行，删除 ${r.deleted} 行；现有 ${r.row_count} 行。`));
      const now = await get('/datasets/' + encodeURIComponent(id));
      fill(now);
      // The load's changes are on the newest page of the feed.
      const newest = changesAfter(new URLSearchParams(), now.last_change);
      replace(feed, changeFeed(id, now, await changesOf(newest), newest));
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      if (err.errors.length) replace(outcome, rowReport(err));
      else showProblem(form, err);
    } finally {
      button.disabled = false;
    }
  });

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/datasets' }, '数据托管'), ' / 托管数据'),
    h('h1', {}, entry.name),
    facts,
    form,
    outcome,
    deletionForm(id, entry, ds, () => version, async (r) => {
      // Re-read the page at the newest changes, which hold the deletion.
      await navigate('/console/datasets/' + encodeURIComponent(id), { replaceState: true });
      notice(main, deletionNotice(r));
    }),
    feed);
}

// How to put each kind of bad value right, beside the API's own title.
const HINTS = {
  'dataset.type_mismatch': '请按数据项类型填写：数值只含数字，日期如 2026-06-30，日期时间如 2026-06-30T09:00:00+08:00，逻辑值填“是”或“否”',
  'dataset.item_required': '该数据项必须填写',
  'dataset.item_unknown': '目录中没有该数据项',
  'dataset.too_long': '内容超过该数据项规定的长度',
  'dataset.key_duplicate': '主键与文件中另一行重复',
  'dataset.column_unknown': '请删除该列，或改为目录中的数据项名称',
  'dataset.column_duplicate': '请删除重复的列',
  'dataset.column_missing': '请补上主键数据项这一列',
};

/** The row-by-row report of a refused load: nothing was written. */
function rowReport(problem) {
  const where = (e) => {
    if (e.row) return `第 ${e.row} 行`;
    if (e.index === -1) return '表头';
    return `第 ${e.index + 1} 条`;
  };
  return h('section', { class: 'row-report', role: 'alert', 'aria-labelledby': 'report-h', 'data-testid': 'row-report' },
    h('h2', { id: 'report-h' }, `数据未载入：发现 ${problem.errors.length} 处错误，未写入任何数据`),
    h('p', {}, '请在原文件中改正下列各处后重新上传。'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '行号'), h('th', { scope: 'col' }, '数据项'), h('th', { scope: 'col' }, '问题'))),
      h('tbody', {}, problem.errors.map((e) => h('tr', { class: 'row-error' },
        h('td', {}, where(e)),
        h('td', {}, e.item || (e.field === 'header' ? '表头' : e.field) || '—'),
        h('td', {}, e.title, HINTS[e.code] ? h('small', { class: 'rule' }, HINTS[e.code]) : null))))));
}
