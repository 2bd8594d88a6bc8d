// One upstream endpoint of a proxied service (GET /api/v1/upstreams/{id},
// never its secret): the entry it serves, where and within which bounds, its
// state and record. The provider's sharing office, or a platform admin in an
// incident, disables it for good after confirming on the page; the entry is
// then served from its hosted dataset again. An endpoint the reader may not
// see is answered 404 by the API, so the router shows the not-found page.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { departmentName } from '../lib/delivery.js';
import { onSubmit, notice } from '../lib/problems.js';
import { personNames, who } from '../lib/people.js';
import { trailHref, mayReadEvents } from '../lib/records.js';
import { UPSTREAM_STATES, mayDisable, timeoutText, bytesText, entryName } from '../lib/upstreams.js';

export const title = '上游服务详情';

export async function render(ctx) {
  const e = await get('/upstreams/' + encodeURIComponent(ctx.params.id));
  await show(ctx, e);
}

async function show(ctx, e) {
  const { main, session } = ctx;
  const [entry, dept, people] = await Promise.all([
    entryName(e.entry_id), departmentName(e.provider_id), personNames([e.created_by]),
  ]);
  document.title = `${entry} · 上游服务详情 · 政务数据共享平台`;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value === '' || value === undefined ? '—' : value)];
  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/upstreams' }, '代理服务'), ' / 上游服务详情'),
    h('h1', {}, `${entry} · 上游服务`),
    h('dl', { class: 'facts', 'data-testid': 'upstream-facts' },
      row('目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(e.entry_id) }, entry)),
      row('提供部门', dept),
      row('服务地址', h('code', {}, e.url)),
      row('状态', h('span', { 'data-testid': 'upstream-state' }, label(UPSTREAM_STATES, e.state))),
      row('超时时间', timeoutText(e.timeout_ms)),
      row('响应大小上限', bytesText(e.max_response_bytes)),
      row('说明', e.description),
      row('登记', `${formatDateTime(e.created_at)}，${who(dept, people.get(e.created_by))}`),
      row('最近更新', formatDateTime(e.updated_at)),
      row('上游服务编号（X-Gs-Key）', h('code', {}, e.id))),
    h('p', { class: 'lead' }, e.state === 'active'
      ? '该目录的查询和核验现由上述地址提供。签名密钥只在登记时显示一次，平台以 SM4 加密保存，任何人都不能再次查看；遗失时请停用后重新登记。'
      : '该上游服务已停用，不再转发查询；该目录恢复使用托管数据。需要时可在代理服务页面重新登记。'),
    mayReadEvents(session.person) ? h('p', {}, h('a', { href: trailHref('upstream', e.id) }, '操作记录')) : null,
    mayDisable(session.person, e) ? disableForm(ctx, e) : null);
}

// Disabling is final, so it asks once more on the page (no window.confirm:
// a second, explicit button the keyboard reaches like any other).
function disableForm(ctx, e) {
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', { role: 'alert' }, '停用后，平台不再向该地址转发查询，该目录的查询改由平台托管的数据答复；停用不能恢复，需要时只能重新登记。确定停用吗？'),
    h('button', { type: 'submit', class: 'button-danger' }, '确认停用'), ' ',
    h('button', { type: 'button', class: 'button-plain' }, '取消'));
  const ask = h('button', { type: 'button', class: 'button-plain' }, '停用上游服务');
  const form = h('form', { class: 'inline-form', 'aria-label': '停用上游服务' }, ask, confirm);
  ask.addEventListener('click', () => { confirm.hidden = false; ask.hidden = true; confirm.querySelector('button').focus(); });
  confirm.querySelector('button[type="button"]').addEventListener('click', () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
  onSubmit(form, async () => {
    const after = await post(`/upstreams/${encodeURIComponent(e.id)}/disable`, { version: e.version });
    await show(ctx, after);
    notice(ctx.main, '已停用上游服务');
  });
  return form;
}
