// Application systems (应用系统, GET /api/v1/systems): a sharing office sees
// its department's and registers new ones for it; reviewers and auditors see
// those of their region, admins all. Credentials are on each system's page.
import { h, replace } from '../lib/dom.js';
import { get, post, qs, Problem } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { label } from '../lib/labels.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { SYSTEM_STATES, departmentNames, isOffice } from '../lib/delivery.js';

export const title = '应用系统';

export async function render({ main, query, session, navigate }) {
  const cursor = query.get('cursor') || '';
  const page = await get('/systems' + qs({ cursor, limit: 50 }));
  const names = await departmentNames(page.items.map((s) => s.department_id));
  replace(main,
    h('h1', {}, '应用系统'),
    h('p', { class: 'lead' }, '需求部门的应用系统凭访问密钥对每次请求签名，通过服务接口、批量交换或文件下载使用共享授权。'),
    page.items.length === 0
      ? h('p', { class: 'empty' }, '暂无应用系统。')
      : h('table', { class: 'systems' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '系统名称'), h('th', { scope: 'col' }, '所属部门'),
          h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '登记时间'))),
        h('tbody', {}, page.items.map((s) => h('tr', {},
          h('td', {}, h('a', { href: '/console/systems/' + encodeURIComponent(s.id) }, s.name)),
          h('td', {}, names[s.department_id]),
          h('td', {}, label(SYSTEM_STATES, s.state)),
          h('td', {}, formatDateTime(s.created_at)))))),
    page.next_cursor ? h('p', {}, h('a', { href: '/console/systems' + qs({ cursor: page.next_cursor }) }, '下一页')) : null,
    isOffice(session.person) ? registerForm(session, navigate) : null);
}

// The office registers a system for its own department only (the API sets
// the department from the person).
function registerForm(session, navigate) {
  const form = h('form', { class: 'panel', 'aria-labelledby': 'register-h', novalidate: true },
    h('h2', { id: 'register-h' }, '登记应用系统'),
    h('p', { class: 'lead' }, `为${session.department ? session.department.name : '本部门'}登记。登记后在系统页面签发访问密钥。`),
    h('div', { class: 'field' }, h('label', { for: 'sys-name' }, '系统名称'),
      h('input', { id: 'sys-name', name: 'name', required: true, maxlength: 100 })),
    h('div', { class: 'field' }, h('label', { for: 'sys-description' }, '系统用途说明'),
      h('textarea', { id: 'sys-description', name: 'description', rows: 3, maxlength: 2000 })),
    h('div', { class: 'field' }, h('label', { for: 'sys-ips' }, '允许调用的 IP 地址（每行一个地址或网段，留空不限）'),
      h('textarea', { id: 'sys-ips', name: 'allowed_ips', rows: 3, 'aria-describedby': 'sys-ips-hint' }),
      h('small', { id: 'sys-ips-hint', class: 'rule' }, '例如 10.1.0.0/16 或 192.168.3.10')),
    h('button', { type: 'submit' }, '登记'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    const body = {
      name: form.elements.namedItem('name').value.trim(),
      description: form.description.value.trim(),
      allowed_ips: form.allowed_ips.value.split(/\s+/).map((s) => s.trim()).filter(Boolean),
    };
    try {
      const s = await post('/systems', body);
      navigate('/console/systems/' + encodeURIComponent(s.id));
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      // allowed_ips[2] is the third line of the one textarea.
      if (err.field && err.field.startsWith('allowed_ips')) err.field = 'allowed_ips';
      showProblem(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
