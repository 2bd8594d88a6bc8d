// Sign-in: POST /api/v1/session sets the session cookie and the CSRF
// cookie; then the person goes where they were headed (?next=, only a page
// of the console).
import { h, replace } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { showProblem, clearProblems } from '../lib/problems.js';

export const title = '登录';

export function safeNext(next) {
  return next && next.startsWith('/console/') && !next.startsWith('//') && !next.startsWith('/console/signin')
    ? next : '/console/';
}

export async function render({ main, query }) {
  const form = h('form', { class: 'signin-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'username' }, '用户名'),
      h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true })),
    h('div', { class: 'field' },
      h('label', { for: 'password' }, '密码'),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, '登录'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await post('/session', { username: form.username.value.trim(), password: form.password.value });
      location.assign(safeNext(query.get('next')));
    } catch (err) {
      button.disabled = false;
      showProblem(form, err);
    }
  });
  replace(main,
    h('section', { class: 'signin' },
      h('h1', {}, '政务数据共享平台'),
      h('p', { class: 'lead' }, '请使用本人账号登录'),
      form,
      // Art. 37: the public complains without an account.
      h('p', { class: 'signin-public' }, h('a', { href: '/console/complaint' }, '投诉举报'), '（公众无需登录）')));
  form.username.focus();
}
