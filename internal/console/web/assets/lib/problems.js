// Showing an API problem to a person, in Chinese. The API's problem title is
// already Chinese; MESSAGES overrides it where the console can say more. A
// problem naming a field is shown beside that field of the form.
import { h } from './dom.js';

const MESSAGES = {
  'auth.bad_credentials': '用户名或密码错误',
  'auth.locked': '登录失败次数过多，账号已暂时锁定，请稍后再试',
  'auth.csrf_invalid': '页面校验已失效，请刷新页面或重新登录后再试',
  'auth.cross_site': '拒绝来自其他网站的请求',
  'auth.forbidden': '您无权执行此操作',
  'auth.unauthenticated': '请先登录',
  'auth.session_expired': '登录已过期，请重新登录',
  'conflict.version': '该内容已被他人修改，请刷新后重试',
  internal: '服务器内部错误，请稍后重试',
};

/** The Chinese message for a problem. */
export function message(problem) {
  return MESSAGES[problem.code] || problem.title || `请求失败（${problem.status}）`;
}

/** Removes the messages showProblem left in form. */
export function clearProblems(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.setAttribute('aria-describedby', (el.getAttribute('aria-describedby') || '').replace(/\s*err-\S+/g, '').trim());
  }
}

/**
 * Shows problem in form: beside the control named problem.field when the
 * form has one (the field is marked aria-invalid, described by the message
 * and focused), else as an alert at the top of the form.
 */
export function showProblem(form, problem) {
  clearProblems(form);
  const text = message(problem);
  const control = problem.field ? form.querySelector(`[name="${CSS.escape(problem.field)}"]`) : null;
  if (control) {
    const id = 'err-' + control.name.replace(/[^\w-]/g, '_');
    control.after(h('p', { class: 'field-error', id, 'data-field': problem.field }, text));
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') || ''} ${id}`.trim());
    control.focus();
    return;
  }
  const box = h('div', { class: 'form-error', role: 'alert', tabindex: '-1' }, text);
  form.prepend(box);
  box.focus();
}

/**
 * notice(main, text) tells that an act succeeded: a role="status" line
 * under the page's <h1> (read out by screen readers), replacing an earlier
 * one. Call it after the page has re-rendered, e.g.
 * `await navigate(url, { replaceState: true }); notice(main, '已保存')`.
 */
export function notice(main, text) {
  for (const old of main.querySelectorAll('.act-notice')) old.remove();
  const box = h('p', { class: 'act-notice', role: 'status', 'data-testid': 'notice' }, text);
  const h1 = main.querySelector('h1');
  if (h1) h1.after(box);
  else main.prepend(box);
  return box;
}

/**
 * attempt(form, send, toProblem) runs a command from form: clears the form's
 * problems, disables its buttons while send() runs and, when send throws an
 * API Problem, shows it in the form (after toProblem, which may map an API
 * field to the form's control name) and gives the buttons back. Other errors
 * propagate to the router. After a success the buttons stay disabled: send
 * navigates or re-renders.
 */
export async function attempt(form, send, toProblem = (p) => p) {
  clearProblems(form);
  const buttons = [...form.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  try {
    await send();
  } catch (err) {
    for (const b of buttons) b.disabled = false;
    if (err.status === undefined) throw err;
    showProblem(form, toProblem(err));
  }
}

/** onSubmit(form, send, toProblem): attempt() on each submit of form. */
export function onSubmit(form, send, toProblem) {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    return attempt(form, send, toProblem);
  });
}
