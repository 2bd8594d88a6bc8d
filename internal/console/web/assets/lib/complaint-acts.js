// The handler's acts on a complaint (Art. 37): accept it, answer it with
// findings and measures, or transfer it with reasons to the department that
// should handle it. Each form sends the complaint's version as last read;
// send(path, body) posts to /complaints/{id}/<path> and re-renders.
import { h } from './dom.js';
import { attempt } from './problems.js';
import { area, select } from './complaint.js';

export function acceptForm(c, send) {
  const form = h('form', { class: 'act', 'data-testid': 'complaint-accept' },
    h('h3', {}, '受理'),
    h('p', { class: 'hint' }, '受理后，投诉人凭查询码可以看到“处理中”。'),
    h('button', { type: 'submit' }, '受理'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(form, () => send('accept', { version: c.version }));
  });
  return form;
}

export function answerForm(c, send) {
  const form = h('form', { class: 'act', 'data-testid': 'complaint-answer' },
    h('h3', {}, '答复'),
    area('findings', '调查核实情况', '查明的事实：是否存在侵犯合法权益的情形。', 4, { maxlength: 2000 }),
    area('measures', '处理措施', '已经或将要采取的措施。答复后投诉人凭查询码可以看到以上两项。', 4, { maxlength: 2000 }),
    h('p', { class: 'hint' }, '每项投诉举报只能答复一次，答复后办结。'),
    h('button', { type: 'submit' }, '提交答复'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(form, () => send('answer', { version: c.version, findings: form.findings.value, measures: form.measures.value }));
  });
  return form;
}

/** transferForm(c, departments, send): departments are [{id, name}] other than the handler. */
export function transferForm(c, departments, send) {
  const form = h('form', { class: 'act', 'data-testid': 'complaint-transfer' },
    h('h3', {}, '转交'),
    h('p', { class: 'hint' }, '不属于本部门处理的，转交有权处理的部门并说明理由；接收部门自收到之日起重新计算办理期限。转交后本部门不再能查看此件。'),
    select('to_id', '转交部门', departments.filter((d) => d.id !== c.handler_id).map((d) => [d.id, d.name]), '请选择部门'),
    area('reason', '转交理由', '', 3, { maxlength: 1000 }),
    h('button', { type: 'submit' }, '转交'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(form, () => send('transfer', { version: c.version, to_id: form.to_id.value, reason: form.reason.value }));
  });
  return form;
}
