// The small forms of the administration, calendar, account and subscription
// pages: a labelled control named after the API's JSON field (so that a
// problem naming the field appears beside it), lists of checkboxes, and the
// console's one way to submit (lib/problems.js) for them.
import { h } from './dom.js';
import { onSubmit as submit } from './problems.js';

let seq = 0;

/**
 * field('name', '名称', {type: 'text'}) → a .field with a label and an input
 * (tag 'textarea' or 'select' with options in attrs.options: [[value, text]…]).
 * hint, when given, describes the control.
 */
export function field(name, text, { tag = 'input', hint = '', options = null, value = '', ...attrs } = {}) {
  const id = `f-${name.replace(/[^\w-]/g, '_')}-${++seq}`;
  const hintId = hint ? id + '-hint' : null;
  let control;
  if (tag === 'select') {
    control = h('select', { id, name, 'aria-describedby': hintId, ...attrs },
      (options || []).map(([v, t]) => h('option', { value: v, selected: String(v) === String(value) }, t)));
  } else if (tag === 'textarea') {
    control = h('textarea', { id, name, 'aria-describedby': hintId, ...attrs }, value);
  } else {
    control = h('input', { id, name, 'aria-describedby': hintId, value: value === '' ? null : value, ...attrs });
  }
  return h('div', { class: 'field' }, h('label', { for: id }, text), control,
    hint ? h('small', { class: 'rule', id: hintId }, hint) : null);
}

/** checkboxes('roles', '角色', [[value, text]…], checked) → a fieldset named after the field. */
export function checkboxes(name, legend, options, checked = [], attrs = {}) {
  return h('fieldset', { name, tabindex: '-1', class: 'checks', ...attrs },
    h('legend', {}, legend),
    options.map(([v, t]) => {
      const id = `c-${name.replace(/[^\w-]/g, '_')}-${++seq}`;
      return h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id, name: name + '[]', value: v, checked: checked.includes(v) }),
        h('label', { for: id }, t));
    }));
}

/** checked(form, 'roles') → the values of the ticked boxes of checkboxes('roles', …). */
export function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${CSS.escape(name + '[]')}"]:checked`)].map((c) => c.value);
}

/**
 * onSubmit(form, async () => {...}): the console's onSubmit (lib/problems.js)
 * with one addition: a problem naming one element of a list (roles[1],
 * grants[0]) is shown beside the list when the form has no control for the
 * element. Returns form.
 */
export function onSubmit(form, command) {
  submit(form, command, (problem) => listField(form, problem));
  return form;
}

// A problem naming one element of a list (roles[1], grants[0]) is shown
// beside the list's control when the form has none for the element.
function listField(form, problem) {
  const f = problem.field || '';
  if (!f || form.querySelector(`[name="${CSS.escape(f)}"]`)) return problem;
  const base = f.replace(/\[\d+\]$/, '');
  if (base === f || !form.querySelector(`[name="${CSS.escape(base)}"]`)) return problem;
  return Object.assign(Object.create(Object.getPrototypeOf(problem)), problem, { field: base });
}

/** A piece of a form whose result is shown once (a secret): a marked panel with a heading that takes focus. */
export function shownOnce(title, note, rows) {
  return h('section', { class: 'secret-panel', 'aria-labelledby': 'once-h', 'data-testid': 'secret-panel' },
    h('h2', { id: 'once-h', tabindex: '-1' }, title),
    h('p', {}, note),
    rows.map(([text, value]) => {
      const id = `once-${++seq}`;
      return h('div', { class: 'field' }, h('label', { for: id }, text),
        h('input', { id, readonly: true, value, class: 'secret', spellcheck: 'false', autocomplete: 'off' }));
    }));
}
