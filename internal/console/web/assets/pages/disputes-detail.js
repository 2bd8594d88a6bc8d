// One dispute (GET /api/v1/disputes/{id}): the parties, the coordinating
// authority and why it is the one, the stages with their deadlines and
// outcomes, a proposed agreement waiting for the other party, the record of
// claims, positions, proposals, opinions, the agreement or the
// government's decision, the recorded acts, and the acts the person may take
// now. Each act carries the version read here; a stale version is refused
// (409 conflict.version) and said so beside the form. A dispute the person
// may not see is answered 404 and shown as the not-found page.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { showProblem, clearProblems } from '../lib/problems.js';
import { label } from '../lib/labels.js';
import {
  DISPUTE_STATES, DISPUTE_STAGES, DISPUTE_OUTCOMES, DISPUTE_TIERS, DISPUTE_ROLES, DISPUTE_RECORDS,
  DISPUTE_ACTIONS, disputeActsFor, subjectNames, subjectText,
} from '../lib/disputes.js';
import { personNames, who } from '../lib/people.js';
import { disputeForms } from '../lib/dispute-acts.js';

export const title = '争议详情';

const SUBJECT_PAGES = {
  application: (id) => '/console/applications/' + encodeURIComponent(id),
  grant: (id) => '/console/grants/' + encodeURIComponent(id),
  catalog_entry: (id) => '/console/catalog/entries/' + encodeURIComponent(id),
};

export async function render({ main, params, session, navigate }) {
  const path = '/disputes/' + encodeURIComponent(params.id);
  // Today is the platform's date (GET /calendar), not the browser's.
  const [d, events, cal] = await Promise.all([get(path), get(path + '/events?limit=500'), get('/calendar')]);
  const today = cal.today;
  const [people, subjects] = await Promise.all([
    personNames([...d.records.map((r) => r.person_id), d.proposal && d.proposal.person_id, ...(events.items || []).map((e) => e.actor_id)]),
    subjectNames([d.subject]),
  ]);
  document.title = `${d.matter} · ${document.title}`;
  const names = new Map([[d.consumer.department_id, d.consumer.department_name], [d.provider.department_id, d.provider.department_name],
    [d.authority.department_id, d.authority.department_name]]);
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];

  const reload = () => navigate(location.pathname, { replaceState: true });
  const run = async (form, act, body) => {
    clearProblems(form);
    const buttons = form.querySelectorAll('button');
    for (const b of buttons) b.disabled = true;
    try {
      await post(path + '/' + act, { ...body, version: d.version });
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      if (err.status === undefined) throw err;
      showProblem(form, err);
      return;
    }
    await reload();
  };
  const st = d.stages[d.stages.length - 1];
  const open = !['resolved', 'decided'].includes(d.state);
  const overdue = open && st.deadline && today > st.deadline.due;

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/disputes' }, '共享争议'), ' / 争议详情'),
    h('h1', {}, d.matter),
    h('p', { class: 'status-line' },
      h('span', { class: 'state state-' + d.state, 'data-testid': 'dispute-state' }, label(DISPUTE_STATES, d.state)),
      open ? [' ', h('span', { class: 'deadline-kind' }, label(DISPUTE_STAGES, st.stage) + '期限：'),
        h('span', { class: 'deadline ' + (overdue ? 'deadline-overdue' : st.deadline ? 'deadline-ok' : 'deadline-none'), 'data-testid': 'dispute-deadline' },
          st.deadline ? formatDate(st.deadline.due) + (overdue ? '（已超期）' : '') : '待导入日历后计算')] : null),
    h('dl', { class: 'facts' },
      row('需求部门', d.consumer.department_name, 'dispute-consumer'),
      row('提供部门', d.provider.department_name, 'dispute-provider'),
      row('发起方', label(DISPUTE_ROLES, d.opened_by)),
      row('协调主管部门', [d.authority.department_name, h('small', { class: 'rule' }, label(DISPUTE_TIERS, d.authority.tier))], 'dispute-authority'),
      row('决定机关', d.authority.government),
      d.subject ? row('争议对象', h('a', { href: SUBJECT_PAGES[d.subject.type](d.subject.id) }, subjectText(d.subject, subjects)), 'dispute-subject') : null,
      row('发起日期', formatDate(d.created_at))),
    outcomeSection(d),
    stages(d),
    proposalSection(d, names, people),
    disputeForms(d, disputeActsFor(session.person, d, today), run, today),
    record(d, names, people),
    trail(events.items || [], names, people));
}

function outcomeSection(d) {
  if (d.decision) {
    return h('section', { 'aria-labelledby': 'outcome-heading', 'data-testid': 'dispute-decision' },
      h('h2', { id: 'outcome-heading' }, `${d.authority.government}的决定`),
      h('dl', { class: 'facts' },
        h('dt', {}, '决定内容'), h('dd', {}, d.decision.text),
        h('dt', {}, '决定文号'), h('dd', {}, d.decision.document_number),
        h('dt', {}, '决定日期'), h('dd', {}, formatDate(d.decision.decided_on))));
  }
  if (d.agreement) {
    return h('section', { 'aria-labelledby': 'outcome-heading', 'data-testid': 'dispute-agreement' },
      h('h2', { id: 'outcome-heading' }, '一致意见'),
      h('p', {}, d.agreement.text),
      h('p', { class: 'hint' }, d.agreement.stage === 'negotiation'
        ? `协商阶段由${label(DISPUTE_ROLES, d.agreement.as)}于${formatDate(d.agreement.at)}提出，经对方确认。`
        : `${label(DISPUTE_STAGES, d.agreement.stage)}阶段，${formatDate(d.agreement.at)} 记录。`));
  }
  return null;
}

// A proposal waits for the other party's confirmation: everyone who reads
// the dispute sees it, and that it does not bind yet.
function proposalSection(d, names, people) {
  if (!d.proposal) return null;
  const other = d.proposal.as === 'consumer' ? 'provider' : 'consumer';
  return h('section', { 'aria-labelledby': 'proposal-heading', 'data-testid': 'dispute-proposal' },
    h('h2', { id: 'proposal-heading' }, '待确认的协议'),
    h('p', {}, d.proposal.text),
    h('p', { class: 'hint' }, `${who(names.get(d.proposal.department_id), people.get(d.proposal.person_id))}（${label(DISPUTE_ROLES, d.proposal.as)}）`
      + `于${formatDate(d.proposal.at)}提出，待${label(DISPUTE_ROLES, other)}确认或不同意。`));
}

function stages(d) {
  return h('section', { 'aria-labelledby': 'stages-heading' },
    h('h2', { id: 'stages-heading' }, '处理阶段'),
    h('ol', { class: 'timeline', 'data-testid': 'dispute-stages' }, d.stages.map((s) => h('li', { 'data-stage': s.stage },
      h('span', { class: 'act' }, label(DISPUTE_STAGES, s.stage)),
      h('span', { class: 'who' }, `${formatDate(s.started_at)} 开始`, s.ended_at ? `，${formatDate(s.ended_at)} 结束` : '，进行中'),
      s.outcome ? h('span', { class: 'note', 'data-testid': 'stage-outcome' }, label(DISPUTE_OUTCOMES, s.outcome)) : null,
      s.deadline
        ? h('small', { class: 'rule' }, `期限 ${s.days} 个工作日，至 ${formatDate(s.deadline.due)}。${s.deadline.rule}`)
        : h('small', { class: 'rule' }, `期限 ${s.days} 个工作日（日历尚无相应年份，导入后计算）`)))));
}

function record(d, names, people) {
  return h('section', { 'aria-labelledby': 'record-heading' },
    h('h2', { id: 'record-heading' }, '争议记录'),
    h('ol', { class: 'timeline', 'data-testid': 'dispute-record' }, d.records.map((r) => h('li', { 'data-kind': r.kind },
      h('time', { datetime: r.at }, formatDateTime(r.at)),
      h('span', { class: 'act' }, label(DISPUTE_RECORDS, r.kind)),
      h('span', { class: 'who' }, `${who(names.get(r.department_id), people.get(r.person_id))}（${label(DISPUTE_ROLES, r.as)}）`),
      h('span', { class: 'note' }, r.text)))));
}

function trail(events, names, people) {
  if (events.length === 0) return null;
  return h('section', { 'aria-labelledby': 'trail-heading' },
    h('h2', { id: 'trail-heading' }, '操作记录'),
    h('table', { class: 'events', 'data-testid': 'dispute-events' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '序号'), h('th', { scope: 'col' }, '时间'), h('th', { scope: 'col' }, '操作'),
        h('th', { scope: 'col' }, '部门及人员'), h('th', { scope: 'col' }, '摘要'))),
      h('tbody', {}, events.map((e) => h('tr', {},
        h('td', {}, String(e.seq)), h('td', {}, formatDateTime(e.at)), h('td', {}, label(DISPUTE_ACTIONS, e.action)),
        h('td', {}, who(names.get(e.department_id), people.get(e.actor_id)) || '—'), h('td', {}, h('code', {}, e.digest.slice(0, 20) + '…')))))));
}
