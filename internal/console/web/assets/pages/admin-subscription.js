// One subscription (GET /api/v1/exchange/subscriptions/{id}): what flows
// from whom to whom, where to and how often, how far it has gone; the
// provider's office sets a push's schedule (PUT …/schedule), the consumer's
// office cancels it (POST …/cancel, for good), each with the version read
// here; and the delivery log (GET …/deliveries): every pull and push
// attempt with its rows and outcome, never a value.
import { h, replace } from '../lib/dom.js';
import { get, post, put, qs } from '../lib/api.js';
import { notice } from '../lib/problems.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { SUBSCRIPTION_STATES, departmentNames } from '../lib/delivery.js';
import { DELIVERY_MODES, DELIVERY_OUTCOMES, DELIVERY_PHASES } from '../lib/admin-labels.js';
import { SUBSCRIPTION_KINDS, INTERVALS, intervalText, mayCancel, maySchedule } from '../lib/admin-subscriptions.js';
import { field, onSubmit } from '../lib/admin-form.js';

export const title = '订阅详情';

export async function render({ main, params, query, session, navigate }) {
  const id = encodeURIComponent(params.id);
  const after = query.get('after') || '';
  const [s, log] = await Promise.all([
    get('/exchange/subscriptions/' + id),
    get(`/exchange/subscriptions/${id}/deliveries` + qs({ cursor: after, limit: 50 })),
  ]);
  const names = await departmentNames([s.provider_id, s.subscriber_id]);
  const reload = async (text) => {
    await navigate(location.pathname, { replaceState: true });
    notice(main, text);
  };
  const p = s.progress || {};
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value === '' || value === undefined ? '—' : value)];
  const active = s.state === 'active';

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/subscriptions' }, '推送订阅'), ' / 订阅详情'),
    h('h1', {}, `${label(SUBSCRIPTION_KINDS, s.kind)}订阅`),
    h('dl', { class: 'facts', 'data-testid': 'subscription-facts' },
      row('状态', label(SUBSCRIPTION_STATES, s.state), 'subscription-state'),
      s.grant_id ? row('共享授权', h('a', { href: '/console/grants/' + encodeURIComponent(s.grant_id) }, s.grant_id)) : null,
      row('数据目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(s.entry_id) }, s.entry_id)),
      row('提供部门', names[s.provider_id]),
      row('接收部门', names[s.subscriber_id]),
      s.endpoint_url ? row('接收地址', h('code', {}, s.endpoint_url)) : null,
      s.division_item ? row('区划数据项', s.division_item) : null,
      row('数据项', (s.items || []).join('、')),
      s.kind === 'push' ? row('推送频率', intervalText(s.interval_seconds), 'subscription-interval') : null,
      row('已交付', `${p.delivered_rows || 0} 行`),
      row('最近交付', p.last_delivery_at ? formatDateTime(p.last_delivery_at) : '尚未交付'),
      row('进度', p.cursor ? '已确认接收到游标位置，下次从此继续' : '从全量快照开始'),
      // The batch cursor the endpoint last acknowledged (opaque and tamper-evident, docs/exchange.md).
      p.cursor ? row('批量游标', h('code', { class: 'cursor' }, p.cursor), 'subscription-cursor') : null,
      p.attempts ? row('连续失败', `${p.attempts} 次（${p.last_error || p.last_status || ''}），下次重试 ${formatDateTime(p.next_attempt_at)}`) : null,
      row('登记时间', formatDateTime(s.created_at)),
      s.cancelled_at ? row('取消时间', formatDateTime(s.cancelled_at)) : null,
      s.cancel_reason ? row('取消理由', s.cancel_reason) : null),
    active && maySchedule(session.person, s) ? scheduleForm(s, reload) : null,
    active && mayCancel(session.person, s) ? cancelForm(s, reload) : null,
    deliveries(s, log));
}

function scheduleForm(s, reload) {
  const options = INTERVALS.includes(s.interval_seconds) ? INTERVALS : [...INTERVALS, s.interval_seconds].sort((a, b) => a - b);
  const form = h('form', { class: 'panel', 'aria-labelledby': 'sched-h', novalidate: true, 'data-testid': 'schedule-form' },
    h('h2', { id: 'sched-h' }, '推送频率'),
    h('p', { class: 'hint' }, '由提供部门的共享工作机构设置：一轮推送完全部新数据后，等待所设间隔再开始下一轮。'),
    field('interval_seconds', '推送间隔', { tag: 'select', value: s.interval_seconds, options: options.map((n) => [n, intervalText(n)]) }),
    h('button', { type: 'submit' }, '保存推送频率'));
  return onSubmit(form, async () => {
    await put(`/exchange/subscriptions/${encodeURIComponent(s.id)}/schedule`, {
      interval_seconds: Number(form.interval_seconds.value), version: s.version,
    });
    await reload('推送频率已保存。');
  });
}

// Cancelling is final, so the form asks once more on the page.
function cancelForm(s, reload) {
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', { role: 'alert' }, '取消后不再向该地址推送，且不能恢复；如需继续接收，须重新登记。确定取消吗？'),
    h('button', { type: 'submit', class: 'button-danger' }, '确认取消订阅'), ' ',
    h('button', { type: 'button', class: 'button-plain' }, '返回'));
  const ask = h('button', { type: 'button', class: 'button-plain' }, '取消订阅');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'cancel-h', novalidate: true, 'data-testid': 'cancel-form' },
    h('h2', { id: 'cancel-h' }, '取消订阅'),
    field('reason', '理由（可选）', { tag: 'textarea', rows: 2, maxlength: 500 }),
    ask, confirm);
  ask.addEventListener('click', () => { confirm.hidden = false; ask.hidden = true; confirm.querySelector('button').focus(); });
  confirm.querySelector('button[type="button"]').addEventListener('click', () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
  return onSubmit(form, async () => {
    await post(`/exchange/subscriptions/${encodeURIComponent(s.id)}/cancel`, { version: s.version, reason: form.reason.value.trim() });
    await reload('订阅已取消。');
  });
}

function deliveries(s, log) {
  const items = log.items || [];
  return h('section', { 'aria-labelledby': 'log-h' },
    h('h2', { id: 'log-h' }, '交付记录'),
    h('p', { class: 'lead' }, '每一次拉取和推送尝试：时间、阶段、行数和结果。记录中不含任何数据值和密钥。'),
    items.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'deliveries-empty' }, '尚无交付记录。')
      : h('table', { 'data-testid': 'deliveries' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '方式'), h('th', { scope: 'col' }, '阶段'),
          h('th', { scope: 'col' }, '行数'), h('th', { scope: 'col' }, '第几次尝试'), h('th', { scope: 'col' }, '结果'))),
        h('tbody', {}, items.map((d) => h('tr', {},
          h('td', {}, formatDateTime(d.at)), h('td', {}, label(DELIVERY_MODES, d.mode)), h('td', {}, label(DELIVERY_PHASES, d.phase)),
          h('td', {}, String(d.rows)), h('td', {}, String(d.attempt || 1)),
          h('td', {}, label(DELIVERY_OUTCOMES, d.outcome), d.http_status ? `（HTTP ${d.http_status}）` : ''))))),
    log.next_cursor
      ? h('p', { class: 'pager' }, h('a', { href: `/console/subscriptions/${encodeURIComponent(s.id)}` + qs({ after: log.next_cursor }) }, '下一页'))
      : null);
}
