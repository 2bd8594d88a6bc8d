// One account (GET /api/v1/people/{id}): name, department, roles, whether it
// is enabled or locked out. Whoever may manage it (an admin; an office head
// for its own office staff) changes the name, roles or enabled state
// (PATCH with the version read here; nobody changes their own roles or
// status, which takes a second person); a platform admin lifts a sign-in
// lock-out (POST …/unlock).
import { h, replace } from '../lib/dom.js';
import { get, post, api } from '../lib/api.js';
import { notice } from '../lib/problems.js';
import { formatDateTime } from '../lib/format.js';
import { roleNames, ROLE_NAMES } from '../lib/roles.js';
import { field, checkboxes, checked, onSubmit } from '../lib/admin-form.js';
import { isAdmin, grantableRoles, mayManage } from '../lib/admin-org.js';
import { locked } from './admin-department.js';

export const title = '人员详情';

export async function render({ main, params, session, navigate }) {
  const p = await get('/people/' + encodeURIComponent(params.id));
  const dept = p.department_id ? await get('/departments/' + encodeURIComponent(p.department_id)).catch(() => null) : null;
  document.title = `${p.display_name} · ${document.title}`;
  // After an act the page is read again, then says what was done.
  const reload = async (text) => {
    await navigate(location.pathname, { replaceState: true });
    notice(main, text);
  };
  const self = p.id === session.person.id;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];
  const status = p.disabled ? '已停用' : locked(p) ? `登录失败次数过多，锁定至 ${formatDateTime(p.locked_until)}（到时自动解除）` : '正常';

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/admin/org' }, '机构与人员'), ' / ',
      dept ? [h('a', { href: '/console/admin/departments/' + encodeURIComponent(dept.id) }, dept.name), ' / '] : null, '人员详情'),
    h('h1', {}, p.display_name),
    h('dl', { class: 'facts', 'data-testid': 'person-facts' },
      row('用户名', h('code', {}, p.username)),
      row('所属部门', dept ? dept.name : p.department_id ? p.department_id : '不属于任何部门'),
      row('角色', roleNames(p.roles), 'person-roles'),
      row('状态', status, 'person-status'),
      row('开设时间', formatDateTime(p.created_at))),
    mayManage(session.person, p) ? editForm(p, self, grantableRoles(session.person, p.department_id), reload) : null,
    isAdmin(session.person) && !self ? unlockForm(p, reload) : null,
    self ? h('p', {}, '修改自己的密码和个人 API 令牌，请到', h('a', { href: '/console/account' }, '我的账号'), '。') : null);
}

function editForm(p, self, roles, reload) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'edit-h', novalidate: true, 'data-testid': 'person-edit' },
    h('h2', { id: 'edit-h' }, '修改账号'),
    field('display_name', '姓名', { value: p.display_name, maxlength: 50 }),
    self
      ? h('p', { class: 'hint' }, '自己的角色和账号状态须由另一名管理员修改。')
      : [
        checkboxes('roles', '角色', roles.map((r) => [r, ROLE_NAMES[r]]), p.roles || []),
        h('div', { class: 'choice' },
          h('input', { type: 'checkbox', id: 'person-disabled', name: 'disabled', checked: !!p.disabled }),
          h('label', { for: 'person-disabled' }, '停用该账号（停用后不能登录，其令牌也不能使用）')),
      ],
    h('button', { type: 'submit' }, '保存修改'));
  return onSubmit(form, async () => {
    // Only what changed is sent, so that a name change needs no role rights.
    const body = { version: p.version };
    const name = form.display_name.value.trim();
    if (name !== p.display_name) body.display_name = name;
    if (!self) {
      const rs = checked(form, 'roles');
      const before = [...(p.roles || [])].sort().join(',');
      if ([...rs].sort().join(',') !== before) body.roles = rs;
      if (form.elements.namedItem('disabled').checked !== !!p.disabled) body.disabled = form.elements.namedItem('disabled').checked;
    }
    await api('PATCH', '/people/' + encodeURIComponent(p.id), body);
    await reload('修改已保存。');
  });
}

function unlockForm(p, reload) {
  const form = h('form', { class: 'inline-form', 'data-testid': 'person-unlock' },
    h('p', { class: 'hint' }, locked(p) ? '该账号曾因多次登录失败被锁定；解除后可立即重新登录。' : '清除该账号的登录失败次数。'),
    h('button', { type: 'submit', class: locked(p) ? null : 'button-plain' }, '解除登录锁定'));
  return onSubmit(form, async () => {
    await post(`/people/${encodeURIComponent(p.id)}/unlock`);
    await reload('已解除登录锁定。');
  });
}
