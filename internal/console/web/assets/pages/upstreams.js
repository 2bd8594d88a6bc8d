// Proxied services (代理服务, docs/gateway.md "Proxied services"): the
// upstream endpoints the reader may see (GET /api/v1/upstreams: a sharing
// office its department's, reviewers and auditors their region's, admins
// all), and for a sharing office the form registering an endpoint of its own
// system for one of its published service-interface entries. The answer
// holds the secret the platform signs every forwarded query with: shown
// once, in a marked panel, kept nowhere else, so a reload loses it.
// Disabling is on each endpoint's page.
import { h, replace } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { departmentNames } from '../lib/delivery.js';
import { field, onSubmit, shownOnce } from '../lib/admin-form.js';
import { getAll } from '../lib/admin-org.js';
import {
  UPSTREAM_STATES, TIMEOUT_MS, RESPONSE_BYTES, mayRegister, timeoutText, bytesText, entryNames,
} from '../lib/upstreams.js';

export const title = '代理服务';

export async function render(ctx) {
  await show(ctx, null);
}

async function show(ctx, registered) {
  const { main, session } = ctx;
  const office = mayRegister(session.person);
  const [ups, own] = await Promise.all([
    getAll('/upstreams'),
    // Only published entries are found by the search, which is what can be served.
    office ? getAll('/catalog/entries', { provider_id: session.person.department_id, method: 'service_interface' }) : [],
  ]);
  const [names, depts] = await Promise.all([
    entryNames(ups.map((u) => u.entry_id)),
    departmentNames(ups.map((u) => u.provider_id)),
  ]);
  const served = new Set(ups.filter((u) => u.state === 'active').map((u) => u.entry_id));
  replace(main,
    h('h1', {}, '代理服务'),
    registered ? shownOnce('上游服务签名密钥（仅显示这一次）',
      '平台转发给该地址的每个查询都以此密钥签名（HMAC-SM3，X-Gs-Key 为上游服务编号）。请立即复制，并通过安全渠道交给该接口的运维人员，'
      + '由其配置到接口中用于验证平台签名。离开或刷新本页面后将无法再次查看；遗失后请停用该上游服务并重新登记。',
      [['上游服务编号（X-Gs-Key）', registered.id], ['签名密钥', registered.secret]]) : null,
    registered ? h('p', {}, h('a', { href: '/console/upstreams/' + encodeURIComponent(registered.id) }, '查看该上游服务')) : null,
    h('p', { class: 'lead' }, '提供部门可以不在平台托管数据，而由本部门系统的接口提供已发布目录的服务接口：',
      '登记后，需求部门对该目录的查询和核验由平台签名后转发到登记的地址，平台只交付授权范围内的数据项。停用后恢复使用托管数据。'),
    ups.length === 0
      ? h('p', { class: 'empty' }, '暂无您可以查看的上游服务。')
      : h('table', { 'data-testid': 'upstreams' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '目录'), h('th', { scope: 'col' }, '服务地址'), h('th', { scope: 'col' }, '提供部门'),
          h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '超时时间'), h('th', { scope: 'col' }, '响应大小上限'),
          h('th', { scope: 'col' }, '登记时间'))),
        h('tbody', {}, ups.map((u) => h('tr', { 'data-upstream': u.id },
          h('td', {}, names[u.entry_id]),
          h('td', {}, h('a', { href: '/console/upstreams/' + encodeURIComponent(u.id) }, u.url)),
          h('td', {}, depts[u.provider_id]),
          h('td', {}, label(UPSTREAM_STATES, u.state)),
          h('td', {}, timeoutText(u.timeout_ms)),
          h('td', {}, bytesText(u.max_response_bytes)),
          h('td', {}, formatDateTime(u.created_at)))))),
    office ? registerForm(ctx, own, served) : null);
  if (registered) main.querySelector('.secret-panel h2').focus();
}

// Every field of POST /api/v1/upstreams, named after it, so that a refusal
// appears beside its control. Empty bounds are sent as 0: the API's defaults.
function registerForm(ctx, entries, served) {
  if (entries.length === 0) {
    return h('p', { class: 'empty' }, '本部门没有已发布的、以服务接口方式共享的目录，无需登记上游服务。');
  }
  const form = h('form', { class: 'panel', 'aria-labelledby': 'ups-h', novalidate: true, 'data-testid': 'register-form' },
    h('h2', { id: 'ups-h' }, '登记上游服务'),
    field('entry_id', '目录', {
      tag: 'select',
      options: [['', '请选择'], ...entries.map((e) => [e.id, served.has(e.id) ? `${e.name}（已有启用的上游服务）` : e.name])],
      hint: '本部门已发布、以服务接口方式共享的目录；每个目录同时只能有一个启用的上游服务。',
    }),
    field('url', '服务地址', {
      type: 'url', spellcheck: 'false', autocomplete: 'off',
      hint: '本部门系统接口的 http(s) 地址，例如 https://gat.example.gov.cn/share/population；不得包含用户名、密码或 # 片段。平台以 POST 发送查询。',
    }),
    field('timeout_ms', '超时时间（毫秒）', {
      type: 'number', inputmode: 'numeric', min: TIMEOUT_MS.min, max: TIMEOUT_MS.max, placeholder: String(TIMEOUT_MS.default),
      hint: `${TIMEOUT_MS.min}–${TIMEOUT_MS.max} 毫秒，留空为 ${TIMEOUT_MS.default} 毫秒。超时未答复的查询按“提供部门系统响应超时”拒绝。`,
    }),
    field('max_response_bytes', '响应大小上限（字节）', {
      type: 'number', inputmode: 'numeric', min: RESPONSE_BYTES.min, max: RESPONSE_BYTES.max, placeholder: String(RESPONSE_BYTES.default),
      hint: `${RESPONSE_BYTES.min}–${RESPONSE_BYTES.max} 字节，留空为 ${RESPONSE_BYTES.default} 字节（1 MiB）。`,
    }),
    field('description', '说明', { tag: 'textarea', rows: 3, maxlength: 2000, hint: '例如接口所在系统、运维联系人（可不填）。' }),
    h('button', { type: 'submit' }, '登记'));
  const number = (name) => {
    const v = form.elements.namedItem(name).value.trim();
    return v === '' ? 0 : Number(v);
  };
  return onSubmit(form, async () => {
    const registered = await post('/upstreams', {
      entry_id: form.entry_id.value,
      url: form.elements.namedItem('url').value.trim(),
      timeout_ms: number('timeout_ms'),
      max_response_bytes: number('max_response_bytes'),
      description: form.description.value.trim(),
    });
    // The secret must reach the person even if reading the list again fails.
    await show(ctx, registered).catch(() => replace(ctx.main, h('h1', {}, '代理服务'),
      shownOnce('上游服务签名密钥（仅显示这一次）', '请立即复制并交给该接口的运维人员。离开或刷新本页面后将无法再次查看。',
        [['上游服务编号（X-Gs-Key）', registered.id], ['签名密钥', registered.secret]])));
  });
}
