// One year of the working calendar (GET /api/v1/calendar/years/{year}): the
// notice it follows, its holidays and its make-up working days (调休上班),
// as imported or built in.
import { h, replace } from '../lib/dom.js';
import { get } from '../lib/api.js';
import { notice } from '../lib/problems.js';
import { formatDate } from '../lib/format.js';
import { weekday } from './admin-calendar.js';

export const title = '年度日历';

/** Days from from to to inclusive (civil dates). */
function span(from, to) {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86400000) + 1;
}

export async function render({ main, params }) {
  const y = await get('/calendar/years/' + encodeURIComponent(params.year));
  document.title = `${y.year}年 · ${document.title}`;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value || '—')];
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/admin/calendar' }, '工作日历'), ` / ${y.year}年`),
    h('h1', {}, `${y.year}年节假日安排`),
    h('dl', { class: 'facts', 'data-testid': 'year-facts' },
      row('依据的通知', y.notice),
      row('发布日期', y.published ? formatDate(y.published) : ''),
      row('全年工作日', y.working_days ? `${y.working_days} 天` : '')),
    h('h2', {}, '放假安排'),
    h('table', { 'data-testid': 'holidays' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '节日'), h('th', { scope: 'col' }, '放假起'), h('th', { scope: 'col' }, '放假止'), h('th', { scope: 'col' }, '天数'))),
      h('tbody', {}, (y.holidays || []).map((x) => h('tr', {},
        h('td', {}, x.name), h('td', {}, `${formatDate(x.from)}（${weekday(x.from)}）`),
        h('td', {}, `${formatDate(x.to)}（${weekday(x.to)}）`), h('td', {}, `${span(x.from, x.to)} 天`))))),
    h('h2', {}, '调休上班日'),
    (y.make_up_working_days || []).length === 0
      ? h('p', { class: 'empty' }, '该年度没有调休上班日。')
      : h('table', { 'data-testid': 'make-up-days' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '日期'), h('th', { scope: 'col' }, '星期'), h('th', { scope: 'col' }, '所属节日'))),
        h('tbody', {}, y.make_up_working_days.map((x) => h('tr', {},
          h('td', {}, formatDate(x.date)), h('td', {}, weekday(x.date)), h('td', {}, x.name))))));
}
