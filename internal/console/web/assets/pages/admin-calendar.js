// The working calendar (工作日历, docs/calendar.md): the years the platform
// knows (GET /api/v1/calendar) with its warnings — above all a next year
// whose holiday notice is not yet imported, without which no deadline can
// cross the year end — each year's holidays on its own page, the import of
// a year's notice (POST /api/v1/calendar/years, docs/calendar-import.md; a
// platform admin's or the contractor's task) and a deadline calculator:
// N working days from a date, with the day-by-day count behind it (GET
// /api/v1/calendar/explain). Everyone signed in may read and calculate.
import { h, replace } from '../lib/dom.js';
import { get, post, qs, Problem } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { message, notice } from '../lib/problems.js';
import { DAY_KINDS, YEAR_SOURCES } from '../lib/admin-labels.js';
import { field, onSubmit } from '../lib/admin-form.js';

export const title = '工作日历';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** weekday('2026-10-08') → '星期四' (a civil date, so read in UTC). */
export function weekday(date) {
  const d = new Date(date + 'T00:00:00Z');
  return Number.isNaN(d.getTime()) ? '' : WEEKDAYS[d.getUTCDay()];
}

export async function render({ main, query, session, navigate }) {
  const status = await get('/calendar');
  const from = query.get('from') || status.today;
  const days = query.get('days') || '';
  let result = null;
  if (days) {
    result = await get('/calendar/explain' + qs({ from, days })).catch((err) => {
      if (err instanceof Problem) return err;
      throw err;
    });
  }
  const mayImport = (session.person.roles || []).some((r) => r === 'platform_admin' || r === 'contractor');
  replace(main,
    h('h1', {}, '工作日历'),
    h('p', { class: 'lead' }, '条例规定的期限按工作日计算，依据国务院办公厅每年发布的部分节假日安排通知。',
      `平台今日为 ${formatDate(status.today)}。`),
    (status.warnings || []).length
      ? h('div', { class: 'form-error', role: 'alert', 'data-testid': 'calendar-warnings' },
        h('ul', { class: 'plain' }, status.warnings.map((w) => h('li', {}, chinese(w)))))
      : h('p', { class: 'status', 'data-testid': 'calendar-warnings' }, complete(status)),
    h('section', { 'aria-labelledby': 'years-h' },
      h('h2', { id: 'years-h' }, '已有年度'),
      h('table', { 'data-testid': 'calendar-years' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '年度'), h('th', { scope: 'col' }, '依据的通知'),
          h('th', { scope: 'col' }, '工作日'), h('th', { scope: 'col' }, '来源'))),
        h('tbody', {}, (status.years || []).map((y) => h('tr', { 'data-year': y.year },
          h('td', {}, h('a', { href: '/console/admin/calendar/' + y.year }, `${y.year}年`)),
          h('td', {}, y.notice),
          h('td', {}, `${y.working_days} 天`),
          h('td', {}, label(YEAR_SOURCES, y.source))))))),
    calculator(from, days, result, navigate),
    mayImport ? importForm(main, navigate) : null);
}

function complete(status) {
  const year = Number(status.today.slice(0, 4));
  const known = (status.years || []).some((y) => y.year === year + 1);
  return known ? `${year}年和${year + 1}年的节假日安排均已导入。`
    : `${year}年的节假日安排已导入。${year + 1}年的通知一般于11月发布，发布后请尽快导入，以免跨年期限无法计算。`;
}

// The API's warnings carry the Chinese sentences first, then the English one.
function chinese(w) {
  const i = w.search(/。\s*[a-z]/);
  return i >= 0 ? w.slice(0, i + 1) : w;
}

function calculator(from, days, result, navigate) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'calc-h', novalidate: true, 'data-testid': 'calculator' },
    h('h2', { id: 'calc-h' }, '期限计算'),
    h('p', { class: 'hint' }, '“自收到之日起 N 个工作日内”：收到当日不计入，从次日起逐日计数，遇周末和节假日顺延，遇调休上班日计入。'),
    field('from', '收到日期', { type: 'date', value: from }),
    field('days', '工作日数', { type: 'number', min: 1, max: 366, value: days }),
    h('button', { type: 'submit' }, '计算'),
    result instanceof Problem ? problemNote(result) : null);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/console/admin/calendar' + qs({ from: form.from.value, days: form.days.value }));
  });
  if (result instanceof Problem) {
    // The query failed (a date out of the known years, a bad number): the
    // message is under the form and the field it names is marked.
    const control = result.field && form.querySelector(`[name="${CSS.escape(result.field)}"]`);
    if (control) control.setAttribute('aria-invalid', 'true');
  }
  return h('section', {}, form, result && !(result instanceof Problem) ? explanation(result) : null);
}

function problemNote(p) {
  return h('p', { class: 'field-error', role: 'alert', 'data-field': p.field || null }, message(p));
}

function explanation({ deadline, steps }) {
  return h('section', { 'aria-labelledby': 'explain-h', 'data-testid': 'explanation' },
    h('h3', { id: 'explain-h' }, '计算结果'),
    h('p', {},
      `自 ${formatDate(deadline.receipt)} 收到起 ${deadline.days} 个工作日，期限届满日为 `,
      h('strong', { 'data-testid': 'due' }, formatDate(deadline.due)),
      `（${weekday(deadline.due)}），最迟至 ${formatDateTime(deadline.at)}。`),
    h('p', { class: 'hint' }, deadline.rule),
    h('table', { class: 'explain' },
      h('caption', {}, '逐日计数'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '日期'), h('th', { scope: 'col' }, '星期'), h('th', { scope: 'col' }, '类别'),
        h('th', { scope: 'col' }, '节假日'), h('th', { scope: 'col' }, '计数'))),
      h('tbody', {}, steps.map((s) => h('tr', { 'data-kind': s.kind },
        h('td', {}, formatDate(s.date)), h('td', {}, weekday(s.date)), h('td', {}, label(DAY_KINDS, s.kind)),
        h('td', {}, s.holiday || ''), h('td', {}, s.working ? `第 ${s.count} 个工作日` : '不计'))))));
}

function importForm(main, navigate) {
  const file = h('input', { type: 'file', id: 'notice-file', accept: '.json,application/json' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'import-h', novalidate: true, 'data-testid': 'calendar-import' },
    h('h2', { id: 'import-h' }, '导入年度节假日安排'),
    h('p', { class: 'hint' }, '按《节假日安排导入格式》（docs/calendar-import.md）把国务院办公厅通知中的放假日期和调休上班日录成 JSON 文件，',
      '建议填写 working_days 以核对录入错误。已有的年度只能在勾选“更正”后替换，进行中的期限将按新日历计算。'),
    h('div', { class: 'field' }, h('label', { for: 'notice-file' }, '选择 JSON 文件（可选，读入下方文本框）'), file),
    field('body', '通知内容（JSON）', { tag: 'textarea', rows: 12, class: 'mono', spellcheck: 'false' }),
    h('div', { class: 'choice' },
      h('input', { type: 'checkbox', id: 'import-replace', name: 'replace' }),
      h('label', { for: 'import-replace' }, '更正已有年度（替换该年度的日历）')),
    h('button', { type: 'submit' }, '导入'));
  file.addEventListener('change', async () => {
    if (file.files.length) form.body.value = await file.files[0].text();
  });
  return onSubmit(form, async () => {
    let year;
    try {
      year = JSON.parse(form.body.value);
    } catch {
      throw new Problem(400, { code: 'calendar.malformed', title: '节假日安排文件不是有效的 JSON', field: 'body' });
    }
    try {
      const y = await post('/calendar/years' + qs({ replace: form.replace.checked ? 'true' : '' }), year);
      await navigate(`/console/admin/calendar/${y.year}`);
      notice(main, `${y.year}年的节假日安排已导入，此后的期限按此计算。`);
    } catch (err) {
      // A refusal names the JSON path of the bad value (holidays[2].to):
      // said beside the one text box, with the path and the reason.
      if (err instanceof Problem && err.field !== 'replace') {
        err.title = [err.title, err.field && err.field !== 'year' ? err.field : '', err.detail].filter(Boolean).join('：');
        err.field = 'body';
      }
      throw err;
    }
  });
}
