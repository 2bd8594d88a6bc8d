// Complaints and reports (投诉举报, Art. 37): the Chinese names of their
// codes and the form controls the public and internal pages share. Controls
// are named after the API's JSON fields, so that a refused field is shown
// beside its control (lib/problems.js).
import { h } from './dom.js';

export const COMPLAINT_STATES = { received: '已收到，待处理', handling: '处理中', answered: '已答复' };
export const COMPLAINANT_KINDS = { citizen: '公民', legal_person: '法人', other_organisation: '其他组织' };

/** stateText(c): the state in Chinese, with "已逾期" for an overdue open complaint. */
export function stateText(c) {
  const s = COMPLAINT_STATES[c.state] || c.state;
  return c.overdue ? `${s}（已逾期）` : s;
}

let seq = 0;
const uid = (n) => `complaint-${n}-${++seq}`;

/** input(name, text, attrs, hint): a labelled single-line control. */
export function input(name, text, attrs = {}, hint = '') {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { class: 'hint' }, hint) : null,
    h('input', { id, name, type: 'text', ...attrs }));
}

/** area(name, text, hint, rows): a labelled text area. */
export function area(name, text, hint = '', rows = 4, attrs = {}) {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { class: 'hint' }, hint) : null,
    h('textarea', { id, name, rows, ...attrs }));
}

/** select(name, text, options, first): a labelled choice of [value, text] pairs. */
export function select(name, text, options, first = '') {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text),
    h('select', { id, name }, first ? h('option', { value: '' }, first) : null,
      options.map(([v, t]) => h('option', { value: v }, t))));
}
