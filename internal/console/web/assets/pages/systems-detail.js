// One application system (GET /api/v1/systems/{id}) with its credentials,
// never their secrets. The owning sharing office issues (or rotates) a
// credential: the secret is in that one answer only (Cache-Control:
// no-store), so it is shown once, in a marked panel, held nowhere but in
// that panel's text, and gone on reload or on leaving the page. Revoking a
// credential and disabling the system: the owning office or a platform
// admin (docs/credentials.md). The owning office also chooses the grants
// the system may use (lib/admin-binding.js).
import { h, replace } from '../lib/dom.js';
import { get, post, Problem } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { SYSTEM_STATES, CREDENTIAL_STATES, departmentName, inOffice, isAdmin } from '../lib/delivery.js';
import { bindingSection } from '../lib/admin-binding.js';

export const title = '应用系统详情';

export async function render(ctx) {
  const s = await get('/systems/' + encodeURIComponent(ctx.params.id));
  document.title = `${s.name} · ${document.title}`;
  await show(ctx, s, null);
}

async function reload(ctx, issued) {
  const s = await get('/systems/' + encodeURIComponent(ctx.params.id));
  await show(ctx, s, issued);
}

async function show(ctx, s, issued) {
  const { main, session } = ctx;
  const owner = inOffice(session.person, s.department_id);
  const control = owner || isAdmin(session.person);
  const active = s.state === 'active';
  const dept = await departmentName(s.department_id);
  const creds = s.credentials || [];
  // The owner's grants as consumer, to name and choose the bound ones.
  const binding = owner ? await bindingSection(s, () => reload(ctx, null)).catch((err) => {
    if (err instanceof Problem) return null; // the grants could not be read: the rest of the page still works
    throw err;
  }) : null;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value === '' || value === undefined ? '—' : value)];
  const actions = h('div', { class: 'actions' });
  const page = h('div', {},
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/systems' }, '应用系统'), ' / 系统详情'),
    h('h1', {}, s.name),
    issued ? secretPanel(issued) : null,
    actions,
    h('dl', { class: 'facts', 'data-testid': 'system-facts' },
      row('所属部门', dept),
      row('状态', h('span', { 'data-testid': 'system-state' }, label(SYSTEM_STATES, s.state))),
      row('用途说明', s.description),
      row('允许调用的 IP', (s.allowed_ips || []).length ? s.allowed_ips.join('、') : '不限'),
      row('可使用的共享授权', (s.grants || []).length
        ? h('ul', { class: 'plain' }, s.grants.map((g) => h('li', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g) }, g))))
        : '本部门作为需求方的全部共享授权'),
      row('登记时间', formatDateTime(s.created_at)),
      row('系统编号', h('code', {}, s.id))),
    binding,
    h('h2', {}, '访问密钥'),
    creds.length === 0
      ? h('p', { class: 'empty' }, '尚未签发访问密钥。')
      : h('table', { class: 'credentials' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '访问密钥 ID'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '签发时间'),
          h('th', { scope: 'col' }, '失效时间'), control ? h('th', { scope: 'col' }, '操作') : null)),
        h('tbody', {}, creds.map((c) => h('tr', { 'data-key-id': c.key_id },
          h('td', {}, h('code', {}, c.key_id)),
          h('td', {}, label(CREDENTIAL_STATES, c.state)),
          h('td', {}, formatDateTime(c.created_at)),
          h('td', {}, c.revoked_at ? formatDateTime(c.revoked_at) : c.grace_until ? `${formatDateTime(c.grace_until)}（宽限期止）` : '—'),
          control ? h('td', {}, c.state !== 'revoked' ? revokeButton(ctx, s, c) : null) : null)))),
    h('p', { class: 'lead' }, '密钥的秘密部分只在签发时显示一次，平台以 SM4 加密保存，任何人都不能再次查看；遗失时请轮换。'));
  if (owner && active) actions.append(issueForm(ctx, s, creds.some((c) => c.state === 'current')));
  if (control && active) actions.append(disableForm(ctx, s));
  replace(main, page);
  if (issued) main.querySelector('.secret-panel h2').focus();
}

function secretPanel(issued) {
  const input = h('input', { id: 'issued-secret', readonly: true, value: issued.secret, class: 'secret', spellcheck: 'false', autocomplete: 'off' });
  const status = h('span', { class: 'copy-status', role: 'status' });
  const copy = h('button', { type: 'button' }, '复制密钥');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(issued.secret);
      status.textContent = '已复制到剪贴板';
    } catch {
      input.focus();
      input.select();
      status.textContent = '无法自动复制，已选中密钥，请按 Ctrl+C 复制';
    }
  });
  return h('section', { class: 'secret-panel', 'aria-labelledby': 'secret-h', 'data-testid': 'secret-panel' },
    h('h2', { id: 'secret-h', tabindex: '-1' }, '新访问密钥（仅显示这一次）'),
    h('p', {}, '请立即复制并妥善保存到应用系统的配置中。离开或刷新本页面后将无法再次查看；遗失后只能重新签发（轮换）。'),
    h('div', { class: 'field' }, h('label', { for: 'issued-key' }, '访问密钥 ID（X-Gs-Key）'),
      h('input', { id: 'issued-key', readonly: true, value: issued.key_id, spellcheck: 'false' })),
    h('div', { class: 'field' }, h('label', { for: 'issued-secret' }, '密钥（Secret）'), input),
    h('p', {}, copy, ' ', status));
}

function issueForm(ctx, s, rotate) {
  const form = h('form', { class: 'inline-form' },
    rotate ? h('small', { class: 'rule' }, '轮换后原密钥在 24 小时宽限期内仍然有效。') : null,
    h('button', { type: 'submit' }, rotate ? '轮换访问密钥' : '签发访问密钥'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    form.querySelector('button').disabled = true;
    let issued;
    try {
      issued = await post(`/systems/${encodeURIComponent(s.id)}/credentials`);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      form.querySelector('button').disabled = false;
      showProblem(form, err);
      return;
    }
    // The secret must reach the person even if reading the system again fails.
    await reload(ctx, issued).catch(() => show(ctx, s, issued));
  });
  return form;
}

function revokeButton(ctx, s, c) {
  const button = h('button', { type: 'button', class: 'button-danger', 'aria-label': `吊销访问密钥 ${c.key_id}` }, '吊销');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await post(`/systems/${encodeURIComponent(s.id)}/credentials/${encodeURIComponent(c.key_id)}/revoke`);
      await reload(ctx, null);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      button.disabled = false;
      const form = button.closest('table').parentElement;
      showProblem(form, err);
    }
  });
  return button;
}

// Disabling is final, so it asks once more on the page (no window.confirm:
// a second, explicit button the keyboard reaches like any other).
function disableForm(ctx, s) {
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', { role: 'alert' }, '停用后，该系统所有访问密钥签名的请求都将被拒绝，且不能恢复、不能再签发密钥。确定停用吗？'),
    h('button', { type: 'submit', class: 'button-danger' }, '确认停用'), ' ',
    h('button', { type: 'button', class: 'button-plain' }, '取消'));
  const ask = h('button', { type: 'button', class: 'button-plain' }, '停用应用系统');
  const form = h('form', { class: 'inline-form' }, ask, confirm);
  ask.addEventListener('click', () => { confirm.hidden = false; ask.hidden = true; confirm.querySelector('button').focus(); });
  confirm.querySelector('button[type="button"]').addEventListener('click', () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    try {
      await post(`/systems/${encodeURIComponent(s.id)}/disable`, { version: s.version });
      await reload(ctx, null);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      showProblem(form, err);
    }
  });
  return form;
}
