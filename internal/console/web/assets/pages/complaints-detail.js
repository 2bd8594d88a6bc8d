// One complaint (GET /api/v1/complaints/{id}) with the complainant's
// details — shown only here, to the handling department's sharing office
// and the authorities above it — the deadline with its rule, transfers, the
// answer, and for the handler's office the acts: accept, answer, transfer.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate, formatDateTime, deadline } from '../lib/format.js';
import { notice } from '../lib/problems.js';
import { deptNames } from '../lib/applications.js';
import { COMPLAINANT_KINDS, stateText } from '../lib/complaint.js';
import { personNames, who } from '../lib/people.js';
import { acceptForm, answerForm, transferForm } from '../lib/complaint-acts.js';

export const title = '投诉举报详情';

const MAX_TRANSFERS = 3;
const DONE = { accept: '已受理', answer: '已答复，投诉人凭查询码可以看到答复', transfer: '已转交' };

export async function render({ main, params, session, navigate }) {
  const c = await get('/complaints/' + encodeURIComponent(params.id));
  const person = session.person;
  const handler = person.department_id === c.handler_id && (person.roles || []).some((r) => r === 'office_head' || r === 'office_staff');
  const open = c.state !== 'answered';
  const [names, people, deps] = await Promise.all([
    deptNames([c.department_id, c.handler_id, ...c.transfers.flatMap((t) => [t.from_id, t.to_id])]),
    personNames([...c.transfers.map((t) => t.by), c.answer && c.answer.answered_by]),
    handler && open ? get('/public/departments') : null,
  ]);
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value === '' || value == null ? '—' : value)];
  const d = deadline({ ...c, due: open && c.deadline ? c.deadline.due : null });
  const send = async (path, body) => {
    await post('/complaints/' + encodeURIComponent(c.id) + '/' + path, body);
    if (path === 'transfer') {
      await navigate('/console/complaints', { replaceState: true });
    } else {
      await navigate(location.pathname, { replaceState: true });
    }
    notice(main, DONE[path]);
  };

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/complaints' }, '投诉举报'), ' / 详情'),
    h('h1', {}, `投诉举报（${formatDate(c.filed_at)}收到）`),
    h('p', { class: 'status-line' }, h('span', { class: 'state ' + (c.overdue ? 'deadline-overdue' : 'state-' + c.state), 'data-testid': 'complaint-state' }, stateText(c))),
    h('section', { 'aria-labelledby': 'complainant-h' },
      h('h2', { id: 'complainant-h' }, '投诉人'),
      h('p', { class: 'hint' }, '个人信息，仅用于办理本件，不得外传。'),
      h('dl', { class: 'facts' },
        row('类型', COMPLAINANT_KINDS[c.complainant.kind] || c.complainant.kind),
        row('姓名或名称', c.complainant.name, 'complainant-name'),
        row('联系方式', c.complainant.contact))),
    h('section', { 'aria-labelledby': 'complaint-h' },
      h('h2', { id: 'complaint-h' }, '投诉内容'),
      h('dl', { class: 'facts' },
        row('被投诉部门', names.get(c.department_id)),
        row('办理部门', names.get(c.handler_id), 'complaint-handler'),
        row('事情经过', c.facts, 'complaint-facts'),
        row('受侵犯的权益', c.rights),
        row('相关编号', c.reference),
        row('提交时间', formatDateTime(c.filed_at)),
        row('受理时间', c.accepted_at ? formatDateTime(c.accepted_at) : ''),
        row('答复期限', c.deadline
          ? [formatDate(c.deadline.due), ' ', open ? h('span', { class: 'deadline ' + d.cls }, d.text) : null, h('small', { class: 'rule' }, c.deadline.rule)]
          : `自${formatDate(c.received_on)}收到之日起15个工作日；截止日期待导入下一年度节假日安排后确定`, 'complaint-due'))),
    c.transfers.length ? h('section', { 'aria-labelledby': 'transfers-h' },
      h('h2', { id: 'transfers-h' }, '转交记录'),
      h('ul', { class: 'plain' }, c.transfers.map((t) =>
        h('li', {}, `${formatDateTime(t.at)} 由 ${who(names.get(t.from_id), people.get(t.by))} 转交 ${names.get(t.to_id)}：${t.reason}`)))) : null,
    c.answer ? h('section', { 'aria-labelledby': 'answer-h', 'data-testid': 'complaint-answer-view' },
      h('h2', { id: 'answer-h' }, '答复'),
      h('dl', { class: 'facts' },
        row('调查核实情况', c.answer.findings),
        row('处理措施', c.answer.measures),
        row('答复时间', formatDateTime(c.answer.answered_at)),
        row('答复人', who(names.get(c.handler_id), people.get(c.answer.answered_by))))) : null,
    handler && open ? h('section', { class: 'acts', 'aria-labelledby': 'acts-h' },
      h('h2', { id: 'acts-h' }, '办理'),
      c.state === 'received' ? acceptForm(c, send) : null,
      answerForm(c, send),
      // A complaint is transferred at most MAX_TRANSFERS times (complaint.MaxTransfers).
      c.transfers.length < MAX_TRANSFERS ? transferForm(c, deps.items, send)
        : h('p', { class: 'hint', 'data-testid': 'transfer-limit' }, `已转交${MAX_TRANSFERS}次，不能再转交，请本部门答复。`)) : null);
}
