// Following a complaint with its receipt code (Art. 37), open without
// signing in. The code is sent in a POST body, never in the URL; the answer
// is the state, the dates, the department handling it and its answer.
import { h, replace } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { attempt } from '../lib/problems.js';
import { COMPLAINT_STATES, input } from '../lib/complaint.js';

export const title = '投诉举报查询';

export async function render({ main }) {
  const result = h('div', { 'data-testid': 'lookup-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'act', 'data-testid': 'lookup-form', novalidate: true },
    input('code', '查询码', { autocomplete: 'off', spellcheck: 'false', maxlength: 40 }, '提交投诉举报时显示的查询码，例如 ABCD-EFGH-JKMN-PQRS-TVWX；大小写和短横线均可。'),
    h('button', { type: 'submit' }, '查询'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(form, async () => {
      const s = await post('/public/complaints/lookup', { code: form.code.value });
      for (const b of form.querySelectorAll('button')) b.disabled = false;
      show(result, s);
    });
  });
  replace(main,
    h('section', { class: 'public-page' },
      h('h1', {}, '投诉举报办理进度查询'),
      h('p', { class: 'lead' }, '凭提交时获得的查询码查询办理状态和答复。'),
      form, result,
      h('p', {}, h('a', { href: '/console/complaint' }, '提交新的投诉举报'))));
}

function show(el, s) {
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];
  replace(el,
    h('h2', {}, '办理情况'),
    h('dl', { class: 'facts' },
      row('状态', COMPLAINT_STATES[s.state] || s.state, 'lookup-state'),
      row('办理部门', s.department_name + (s.transferred ? '（已转交）' : '')),
      row('提交时间', formatDate(s.filed_at)),
      row('受理时间', s.accepted_at ? formatDate(s.accepted_at) : ''),
      row('答复期限', s.due ? formatDate(s.due) : '自收到之日起15个工作日'),
      s.answer ? row('答复时间', formatDate(s.answer.answered_at)) : null,
      s.answer ? row('调查核实情况', s.answer.findings, 'lookup-findings') : null,
      s.answer ? row('处理措施', s.answer.measures, 'lookup-measures') : null));
}
