// My account (我的账号), opened from the name in the header: who one is,
// changing one's own password (POST /api/v1/me/password; it ends every
// session, this one too, so the person signs in again) and personal API
// tokens for scripts (GET/POST/DELETE /api/v1/me/tokens). A new token's
// secret is in the answer to the issuing request only: it is shown once in a
// marked panel and kept nowhere else, so a reload or leaving the page loses it.
import { h, replace } from '../lib/dom.js';
import { get, post, del, Problem } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { roleNames } from '../lib/roles.js';
import { field, onSubmit, shownOnce } from '../lib/admin-form.js';

export const title = '我的账号';

export async function render(ctx) {
  // Expiry is judged on the platform's date, not the browser's clock.
  const [tokens, cal] = await Promise.all([get('/me/tokens'), get('/calendar')]);
  ctx.today = cal.today;
  show(ctx, tokens.items, null);
}

function show(ctx, tokens, issued) {
  const { main, session } = ctx;
  const { person, department } = session;
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value || '—')];
  replace(main,
    h('h1', {}, '我的账号'),
    issued ? shownOnce('新的个人 API 令牌（仅显示这一次）',
      '请立即复制并保存到脚本的配置中，以 Authorization: Bearer <令牌> 调用接口。离开或刷新本页面后将无法再次查看；遗失后请吊销并重新签发。',
      [['令牌名称', issued.name], ['令牌', issued.secret]]) : null,
    h('dl', { class: 'facts', 'data-testid': 'account-facts' },
      row('姓名', person.display_name),
      row('用户名', h('code', {}, person.username)),
      row('角色', roleNames(person.roles)),
      row('所属部门', department ? department.name : '不属于任何部门')),
    passwordForm(main),
    h('section', { 'aria-labelledby': 'tokens-h' },
      h('h2', { id: 'tokens-h' }, '个人 API 令牌'),
      h('p', { class: 'lead' }, '令牌以您的身份和权限调用接口，供本人编写的脚本使用；请勿与他人共用。最长有效一年。'),
      tokens.length === 0 ? h('p', { class: 'empty' }, '尚未签发令牌。') : tokenTable(ctx, tokens),
      tokenForm(ctx)));
  if (issued) main.querySelector('.secret-panel h2').focus();
}

function passwordForm(main) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'pw-h', novalidate: true, 'data-testid': 'password-form' },
    h('h2', { id: 'pw-h' }, '修改密码'),
    field('current_password', '当前密码', { type: 'password', autocomplete: 'current-password' }),
    field('new_password', '新密码', { type: 'password', autocomplete: 'new-password', hint: '至少 10 位' }),
    field('new_password_again', '再次输入新密码', { type: 'password', autocomplete: 'new-password' }),
    h('button', { type: 'submit' }, '修改密码'));
  return onSubmit(form, async () => {
    if (form.new_password.value !== form.new_password_again.value) {
      throw new Problem(400, { code: 'account.password_mismatch', title: '两次输入的新密码不一致', field: 'new_password_again' });
    }
    await post('/me/password', { current_password: form.current_password.value, new_password: form.new_password.value });
    // Every session has ended, this one too: the person signs in anew.
    replace(main,
      h('h1', {}, '密码已修改'),
      h('p', { role: 'status', 'data-testid': 'password-changed' }, '您的密码已修改，所有已登录的会话均已退出。请使用新密码重新登录。'),
      h('p', {}, h('a', { href: '/console/signin' }, '重新登录')));
  });
}

function tokenTable(ctx, tokens) {
  const startOfToday = new Date(ctx.today + 'T00:00:00+08:00');
  const state = (t) => (t.revoked_at ? `已吊销（${formatDateTime(t.revoked_at)}）`
    : t.expires_at && new Date(t.expires_at) < startOfToday ? '已过期' : '有效');
  return h('table', { 'data-testid': 'tokens' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '名称'), h('th', { scope: 'col' }, '签发时间'), h('th', { scope: 'col' }, '有效期至'),
      h('th', { scope: 'col' }, '最近使用'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '操作'))),
    h('tbody', {}, tokens.map((t) => h('tr', { 'data-token': t.id },
      h('td', {}, t.name), h('td', {}, formatDateTime(t.created_at)), h('td', {}, t.expires_at ? formatDateTime(t.expires_at) : '—'),
      h('td', {}, t.last_used_at ? formatDateTime(t.last_used_at) : '未使用'), h('td', {}, state(t)),
      h('td', {}, t.revoked_at ? null : revokeForm(ctx, t))))));
}

function revokeForm(ctx, t) {
  const form = h('form', { class: 'inline-form' },
    h('button', { type: 'submit', class: 'button-danger', 'aria-label': `吊销令牌 ${t.name}` }, '吊销'));
  return onSubmit(form, async () => {
    await del('/me/tokens/' + encodeURIComponent(t.id));
    const tokens = await get('/me/tokens');
    show(ctx, tokens.items, null);
  });
}

function tokenForm(ctx) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'new-token-h', novalidate: true, 'data-testid': 'token-form' },
    h('h3', { id: 'new-token-h' }, '签发令牌'),
    field('name', '令牌名称', { maxlength: 100, hint: '说明用途，例如“每日对账脚本”' }),
    field('expires_at', '有效期至（含当日，可选）', { type: 'date', hint: '不填写为 90 天；最长一年' }),
    h('button', { type: 'submit' }, '签发令牌'));
  return onSubmit(form, async () => {
    const day = form.expires_at.value;
    const issued = await post('/me/tokens', {
      name: form.elements.namedItem('name').value.trim(),
      // The end of the chosen day in Beijing time.
      expires_at: day ? `${day}T23:59:59+08:00` : null,
    });
    const tokens = await get('/me/tokens').then((x) => x.items, () => []);
    show(ctx, tokens, issued);
  });
}

