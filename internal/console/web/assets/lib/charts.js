// Small hand-written SVG charts (no chart library, docs/console.md). Each
// chart is a <figure> holding an SVG with role="img", a <title> and a
// <desc>, and a table with the same figures, so that the numbers never
// exist only as shapes: screen readers get the table, and so does anyone
// who prefers numbers.
import { h } from './dom.js';

const WIDTH = 640;
const LABEL = 190; // room for the bar labels, left of the bars
const ROW = 26;
const BAR = 16;
const PAD = 8;

let ids = 0;
const svg = (tag, attrs, ...children) => h('svg:' + tag, attrs, ...children);

/**
 * barChart({title, caption, unit, rows: [{label, value, limit?, over?}],
 * columns}) → <figure>. Bars are horizontal; a row with a limit also shows
 * the limit as a marked line across its bar (e.g. a statutory time limit),
 * and a bar past its limit gets the class bar-over. columns are the table's
 * headers: [label header, value header, (limit header)].
 */
export function barChart({ title, caption, unit = '', rows, columns, testid }) {
  const id = `chart-${++ids}`;
  const withLimits = rows.some((r) => r.limit !== undefined && r.limit !== null);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.limit || 0)));
  const plot = WIDTH - LABEL - 60;
  const x = (v) => LABEL + (v / max) * plot;
  const height = rows.length * ROW + PAD * 2 + 18;
  const desc = rows.map((r) => `${r.label}：${r.value}${unit}` + (withLimits && r.limit != null ? `（期限 ${r.limit}${unit}）` : '')).join('；');
  const ticks = niceTicks(max);
  const chart = svg('svg', {
    class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`, focusable: 'false',
  },
  svg('title', { id: `${id}-title` }, title),
  svg('desc', { id: `${id}-desc` }, desc || '无数据'),
  ticks.map((t) => svg('g', { class: 'chart-tick', 'aria-hidden': 'true' },
    svg('line', { x1: x(t), x2: x(t), y1: PAD, y2: height - 18 }),
    svg('text', { x: x(t), y: height - 4, 'text-anchor': 'middle' }, String(t)))),
  rows.map((r, i) => {
    const y = PAD + i * ROW;
    const over = r.over || (r.limit != null && r.value > r.limit);
    return svg('g', { class: 'chart-row' + (over ? ' bar-over' : '') },
      svg('text', { class: 'chart-label', x: LABEL - 8, y: y + BAR - 3, 'text-anchor': 'end' }, clip(r.label, 13)),
      svg('rect', { class: 'bar', x: LABEL, y, width: Math.max(r.value > 0 ? 2 : 0, x(r.value) - LABEL), height: BAR }),
      r.limit != null ? svg('line', { class: 'chart-limit', x1: x(r.limit), x2: x(r.limit), y1: y - 3, y2: y + BAR + 3 }) : null,
      svg('text', { class: 'chart-value', x: x(r.value) + 6, y: y + BAR - 3 }, `${r.value}${unit}`));
  }));
  return h('figure', { class: 'chart-figure', 'data-testid': testid || null },
    h('figcaption', {}, h('strong', {}, title), caption ? h('span', { class: 'chart-caption' }, caption) : null),
    h('div', { class: 'chart-scroll' }, chart),
    h('details', { class: 'chart-data' },
      h('summary', {}, '查看数据表'),
      h('table', {},
        h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, columns.slice(0, withLimits ? 3 : 2).map((c) => h('th', { scope: 'col' }, c)),
          withLimits ? h('th', { scope: 'col' }, '是否超期') : null)),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.label),
          h('td', {}, String(r.value)),
          withLimits ? h('td', {}, r.limit != null ? String(r.limit) : '—') : null,
          withLimits ? h('td', {}, r.limit != null && r.value > r.limit ? '超期' : '未超期') : null))))));
}

function clip(s, n) {
  const t = String(s);
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

// Up to about five round tick values from 0 to max.
function niceTicks(max) {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((s) => max / s <= 5) || Math.ceil(max / 5);
  const out = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}
