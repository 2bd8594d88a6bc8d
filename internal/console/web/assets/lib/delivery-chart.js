// A grant's calls per day (GET /api/v1/grants/{id}/usage) as a small
// hand-written SVG bar chart, with the same figures in a table: the chart
// is for the eye, the table for screen readers and for reading exact
// numbers. Colour is never the only signal: the legend and the table name
// both series.
import { h } from './dom.js';
import { formatDate } from './format.js';

const W = 720;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/** The civil days from..to inclusive ('YYYY-MM-DD'). */
export function daysBetween(from, to) {
  const out = [];
  const [y, m, d] = from.split('-').map(Number);
  const end = Date.UTC(...to.split('-').map((v, i) => (i === 1 ? +v - 1 : +v)));
  for (let t = Date.UTC(y, m - 1, d); t <= end && out.length < 400; t += 86400000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** A round top of the scale at or above max. */
function scaleTop(max) {
  if (max <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= max) return f * p;
  return 10 * p;
}

/** usageFigure(report) → a <figure> with the chart, its legend and the table. */
export function usageFigure(report) {
  const byDay = new Map(report.days.map((d) => [d.day, d]));
  const days = daysBetween(report.from, report.to);
  const totals = report.days.reduce((t, d) => ({ calls: t.calls + d.calls, refused: t.refused + d.refused, rows: t.rows + d.rows }),
    { calls: 0, refused: 0, rows: 0 });
  const period = `${formatDate(report.from)}至${formatDate(report.to)}`;
  const summary = `${period}，共成功调用 ${totals.calls} 次，拒绝 ${totals.refused} 次，返回 ${totals.rows} 行数据；`
    + `每日调用上限 ${report.limits.per_day} 次。`;

  const max = Math.max(0, ...report.days.map((d) => Math.max(d.calls, d.refused)));
  const top = scaleTop(max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(days.length, 1);
  const bar = Math.max(1, Math.min(10, slot / 2 - 1));
  const y = (v) => PAD.top + plotH - (v / top) * plotH;

  const grid = [0, top / 2, top].map((v) => [
    h('svg:line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'usage-grid' }),
    h('svg:text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'usage-axis' }, String(v)),
  ]);
  const bars = days.map((day, i) => {
    const d = byDay.get(day);
    if (!d) return null;
    const x = PAD.left + i * slot + slot / 2;
    return [
      d.calls ? h('svg:rect', { x: x - bar, y: y(d.calls), width: bar, height: y(0) - y(d.calls), class: 'usage-calls' },
        h('svg:title', {}, `${formatDate(day)} 成功调用 ${d.calls} 次`)) : null,
      d.refused ? h('svg:rect', { x, y: y(d.refused), width: bar, height: y(0) - y(d.refused), class: 'usage-refused' },
        h('svg:title', {}, `${formatDate(day)} 拒绝 ${d.refused} 次`)) : null,
    ];
  });
  // A date under the first, the middle and the last day.
  const ticks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].filter((i) => i >= 0).map((i) => {
    const [, m, d] = days[i].split('-');
    return h('svg:text', { x: PAD.left + i * slot + slot / 2, y: H - 8, 'text-anchor': 'middle', class: 'usage-axis' }, `${+m}月${+d}日`);
  });

  const svg = h('svg:svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'usage-title usage-desc', class: 'usage-chart',
    'data-testid': 'usage-chart',
  },
  h('svg:title', { id: 'usage-title' }, '每日调用次数'),
  h('svg:desc', { id: 'usage-desc' }, summary),
  grid,
  h('svg:line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: 'usage-baseline' }),
  bars, ticks);

  const table = h('table', { class: 'usage-table', 'data-testid': 'usage-table' },
    h('caption', {}, `每日调用统计（${period}，无调用的日期不列出）`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '日期'), h('th', { scope: 'col' }, '成功调用（次）'),
      h('th', { scope: 'col' }, '拒绝（次）'), h('th', { scope: 'col' }, '返回数据（行）'))),
    h('tbody', {}, report.days.length === 0
      ? h('tr', {}, h('td', { colspan: 4, class: 'empty' }, '该期间没有调用。'))
      : report.days.map((d) => h('tr', {},
        h('th', { scope: 'row' }, formatDate(d.day)), h('td', {}, String(d.calls)),
        h('td', {}, String(d.refused)), h('td', {}, String(d.rows))))),
    report.days.length ? h('tfoot', {}, h('tr', {},
      h('th', { scope: 'row' }, '合计'), h('td', {}, String(totals.calls)),
      h('td', {}, String(totals.refused)), h('td', {}, String(totals.rows)))) : null);

  return h('figure', { class: 'usage' },
    svg,
    h('figcaption', {}, h('span', { class: 'usage-key usage-key-calls' }, '成功调用'),
      h('span', { class: 'usage-key usage-key-refused' }, '拒绝'), ' ', summary),
    table);
}
