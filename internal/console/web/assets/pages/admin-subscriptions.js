// Push subscriptions of batch-exchange grants (批量交换推送, docs/exchange.md):
// the subscriptions the reader may see (GET /api/v1/exchange/subscriptions,
// optionally of one grant), and for a consumer's sharing office the form that
// registers an endpoint its grant's pages are pushed to (POST …, kind push).
// The answer holds the secret that signs every push: shown once, in a marked
// panel, kept nowhere else. Schedule, cancellation and the delivery log are
// on each subscription's page.
import { h, replace } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { SUBSCRIPTION_STATES, departmentNames, isOffice } from '../lib/delivery.js';
import { SUBSCRIPTION_KINDS, intervalText } from '../lib/admin-subscriptions.js';
import { field, onSubmit, shownOnce } from '../lib/admin-form.js';
import { getAll } from '../lib/admin-org.js';

export const title = '推送订阅';

export async function render(ctx) {
  await show(ctx, null);
}

async function show(ctx, created) {
  const { main, query, session } = ctx;
  const grantID = query.get('grant_id') || '';
  const [subs, grants] = await Promise.all([
    getAll('/exchange/subscriptions', { grant_id: grantID }),
    isOffice(session.person) ? getAll('/grants', { role: 'consumer' }) : [],
  ]);
  const pushable = grants.filter((g) => g.delivery_method === 'batch_exchange' && g.state === 'active');
  const names = await departmentNames(subs.flatMap((s) => [s.provider_id, s.subscriber_id]));
  replace(main,
    h('h1', {}, '推送订阅'),
    created ? shownOnce('推送签名密钥（仅显示这一次）',
      '平台向接收地址推送的每一页都以此密钥签名，请立即复制并配置到接收系统中用于验证签名。离开或刷新本页面后将无法再次查看；遗失后请取消该订阅并重新登记。',
      [['订阅编号', created.id], ['签名密钥', created.secret]]) : null,
    created ? h('p', {}, h('a', { href: '/console/subscriptions/' + encodeURIComponent(created.id) }, '查看该订阅')) : null,
    h('p', { class: 'lead' }, '批量交换的共享授权，除由需求部门应用系统通过签名网关拉取外，可由需求部门登记接收地址，由平台主动推送；',
      '提供部门的共享工作机构设置推送频率。'),
    grantID ? h('p', {}, `仅显示共享授权 ${grantID} 的订阅。`, h('a', { href: '/console/subscriptions' }, '显示全部')) : null,
    subs.length === 0
      ? h('p', { class: 'empty' }, '暂无您可以查看的订阅。')
      : h('table', { 'data-testid': 'subscriptions' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '订阅'), h('th', { scope: 'col' }, '类型'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '接收部门'), h('th', { scope: 'col' }, '推送频率'), h('th', { scope: 'col' }, '状态'),
          h('th', { scope: 'col' }, '最近交付'))),
        h('tbody', {}, subs.map((s) => h('tr', { 'data-subscription': s.id },
          h('td', {}, h('a', { href: '/console/subscriptions/' + encodeURIComponent(s.id) }, s.endpoint_url || s.id)),
          h('td', {}, label(SUBSCRIPTION_KINDS, s.kind)),
          h('td', {}, names[s.provider_id]), h('td', {}, names[s.subscriber_id]),
          h('td', {}, s.kind === 'push' ? intervalText(s.interval_seconds) : '—'),
          h('td', {}, label(SUBSCRIPTION_STATES, s.state)),
          h('td', {}, s.progress && s.progress.last_delivery_at ? formatDateTime(s.progress.last_delivery_at) : '尚未交付'))))),
    isOffice(session.person) ? subscribeForm(ctx, pushable, grantID) : null);
  if (created) main.querySelector('.secret-panel h2').focus();
}

function subscribeForm(ctx, grants, grantID) {
  if (grants.length === 0) {
    return h('p', { class: 'empty' }, '本部门没有有效的批量交换共享授权，无需登记推送地址。');
  }
  const form = h('form', { class: 'panel', 'aria-labelledby': 'sub-h', novalidate: true, 'data-testid': 'subscribe-form' },
    h('h2', { id: 'sub-h' }, '登记推送接收地址'),
    field('grant_id', '共享授权', {
      tag: 'select', value: grantID,
      options: [['', '请选择'], ...grants.map((g) => [g.id, `${g.entry_name}（有效期至 ${g.valid_until}）`])],
    }),
    field('endpoint_url', '接收地址', { type: 'url', spellcheck: 'false', hint: '本部门接收系统的 http(s) 地址，例如 https://jieshou.example.gov.cn/govshare/push' }),
    h('button', { type: 'submit' }, '登记'));
  return onSubmit(form, async () => {
    const created = await post('/exchange/subscriptions', {
      kind: 'push', grant_id: form.grant_id.value, endpoint_url: form.endpoint_url.value.trim(),
    });
    await show(ctx, created);
  });
}

