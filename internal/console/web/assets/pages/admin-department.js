// One department (GET /api/v1/departments/{id}): its division and kind, its
// sharing office and the office's head (Art. 11), and its people as far as
// the reader may see them (GET /api/v1/people?department_id=). A platform
// admin or the department's own office head names the office and its head
// (PUT …/sharing-office with the version read here); whoever may manage
// accounts of the department opens new ones here.
import { h, replace } from '../lib/dom.js';
import { get, put, post, Problem } from '../lib/api.js';
import { notice } from '../lib/problems.js';
import { label } from '../lib/labels.js';
import { formatDateTime } from '../lib/format.js';
import { roleNames, ROLE_NAMES } from '../lib/roles.js';
import { DEPARTMENT_KINDS } from '../lib/admin-labels.js';
import { field, checkboxes, checked, onSubmit } from '../lib/admin-form.js';
import { getAll, mayUpdateOffice, grantableRoles } from '../lib/admin-org.js';

export const title = '部门详情';

export async function render({ main, params, session, navigate }) {
  const d = await get('/departments/' + encodeURIComponent(params.id));
  const [division, people] = await Promise.all([
    get('/divisions/' + encodeURIComponent(d.division_code)).catch(() => null),
    getAll('/people', { department_id: d.id }).catch((err) => { if (err instanceof Problem) return null; throw err; }),
  ]);
  document.title = `${d.name} · ${document.title}`;
  const reload = async () => {
    await navigate(location.pathname, { replaceState: true });
    notice(main, '共享工作机构及负责人已保存。');
  };
  const head = (people || []).find((p) => p.id === d.office_head_id);
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];
  const roles = grantableRoles(session.person, d.id);

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/admin/org' }, '机构与人员'), ' / 部门详情'),
    h('h1', {}, d.name),
    h('dl', { class: 'facts', 'data-testid': 'department-facts' },
      row('所在行政区划', division ? `${division.name}（${division.code}）` : d.division_code),
      row('类型', label(DEPARTMENT_KINDS, d.kind)),
      row('统一社会信用代码', d.credit_code),
      row('政务数据共享工作机构', d.office_name || '尚未确定', 'office-name'),
      row('工作机构负责人', head ? head.display_name : d.office_head_id ? '（无权查看）' : '尚未指定', 'office-head'),
      row('部门编号', h('code', {}, d.id))),
    mayUpdateOffice(session.person, d) ? officeForm(d, people || [], reload) : null,
    h('section', { 'aria-labelledby': 'people-h' },
      h('h2', { id: 'people-h' }, '人员'),
      people === null
        ? h('p', { class: 'empty' }, '您无权查看该部门的人员。')
        : people.length === 0
          ? h('p', { class: 'empty' }, '该部门没有您可以查看的人员账号。')
          : peopleTable(people, d)),
    roles.length ? personForm(d, roles, navigate, main) : null);
}

export function peopleTable(people, d) {
  return h('table', { 'data-testid': 'people' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '姓名'), h('th', { scope: 'col' }, '用户名'), h('th', { scope: 'col' }, '角色'), h('th', { scope: 'col' }, '状态'))),
    h('tbody', {}, people.map((p) => h('tr', { 'data-username': p.username },
      h('td', {}, h('a', { href: '/console/admin/people/' + encodeURIComponent(p.id) }, p.display_name),
        d && d.office_head_id === p.id ? h('small', { class: 'rule' }, ' 工作机构负责人') : null),
      h('td', {}, h('code', {}, p.username)),
      h('td', {}, roleNames(p.roles)),
      h('td', {}, p.disabled ? '已停用' : locked(p) ? `登录锁定至 ${formatDateTime(p.locked_until)}` : '正常')))));
}

// Whether a lock-out is still running depends on the platform's clock, which
// the browser does not know: any recorded lock-out is shown with its end.
export const locked = (p) => !!p.locked_until;

function officeForm(d, people, reload) {
  const heads = people.filter((p) => (p.roles || []).includes('office_head') && !p.disabled);
  const form = h('form', { class: 'panel', 'aria-labelledby': 'office-h', novalidate: true, 'data-testid': 'office-form' },
    h('h2', { id: 'office-h' }, '确定共享工作机构及负责人'),
    h('p', { class: 'lead' }, '第十一条：政务部门应当明确本部门政务数据共享工作机构，负责人审批本部门的共享申请、答复和目录。'),
    field('office_name', '工作机构名称', { value: d.office_name, maxlength: 100 }),
    field('office_head_id', '负责人', {
      tag: 'select', value: d.office_head_id || '',
      options: [['', '暂不指定'], ...heads.map((p) => [p.id, `${p.display_name}（${p.username}）`])],
      hint: '只能从本部门具有“共享工作机构负责人”角色且账号有效的人员中选择',
    }),
    h('button', { type: 'submit' }, '保存'));
  return onSubmit(form, async () => {
    await put(`/departments/${encodeURIComponent(d.id)}/sharing-office`, {
      office_name: form.office_name.value.trim(), office_head_id: form.office_head_id.value, version: d.version,
    });
    await reload();
  });
}

/**
 * Opening an account in department d, with the roles the person may give;
 * without d (a platform admin's people page), the department is chosen from
 * departments, or none for an admin or contractor account.
 */
export function personForm(d, roles, navigate, main, departments = []) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'new-person-h', novalidate: true, 'data-testid': 'person-form' },
    h('h2', { id: 'new-person-h' }, d ? `为${d.name}开设账号` : '开设账号'),
    field('username', '用户名', { autocomplete: 'off', spellcheck: 'false', hint: '3 至 64 位小写字母、数字或 . _ -' }),
    field('display_name', '姓名', { maxlength: 50 }),
    d ? null : field('department_id', '所属部门', {
      tag: 'select', options: [['', '不属于任何部门（平台管理员、受托方）'], ...departments.map((x) => [x.id, x.name])],
    }),
    checkboxes('roles', '角色', roles.map((r) => [r, ROLE_NAMES[r]]), roles.length === 1 ? roles : []),
    field('password', '初始密码', { type: 'password', autocomplete: 'new-password', hint: '至少 10 位；请通过安全渠道告知本人，并提醒首次登录后修改' }),
    h('button', { type: 'submit' }, '开设账号'));
  return onSubmit(form, async () => {
    const p = await post('/people', {
      username: form.username.value.trim(), display_name: form.display_name.value.trim(),
      department_id: d ? d.id : form.department_id.value, roles: checked(form, 'roles'), password: form.password.value,
    });
    await navigate('/console/admin/people/' + encodeURIComponent(p.id));
    notice(main, '账号已开设。请通过安全渠道将用户名和初始密码告知本人，并提醒其首次登录后修改密码。');
  });
}
