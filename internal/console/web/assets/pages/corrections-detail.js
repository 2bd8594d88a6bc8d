// One correction request (GET /api/v1/corrections/{id}): the grant and the
// parties, what the consumer believes wrong, the deadline with its rule,
// the provider's answer (with the hosted dataset's change numbers of a
// fix), the timeline, and for the provider's office the answer form. A
// request the person may not see is the not-found page.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { notice } from '../lib/problems.js';
import { label } from '../lib/labels.js';
import { deptNames } from '../lib/applications.js';
import { CORRECTION_KINDS, DUE_PENDING, OUTCOMES, correctionActs, stateText } from '../lib/correction.js';
import { answerForm } from '../lib/correction-acts.js';
import { inOffice } from '../lib/delivery.js';
import { personNames, who } from '../lib/people.js';

export const title = '校核申请详情';

export async function render({ main, params, session, navigate }) {
  const r = await get('/corrections/' + encodeURIComponent(params.id));
  const acts = correctionActs(session.person, r);
  const a = r.answer;
  const [names, people, entry] = await Promise.all([
    deptNames([r.consumer_id, r.provider_id]),
    personNames([r.filed_by, a && a.by]),
    acts.answer ? get('/catalog/entries/' + encodeURIComponent(r.entry_id)) : null,
  ]);
  document.title = `${r.entry_name} · ${document.title}`;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value === '' || value == null ? '—' : value)];
  const list = (xs) => (xs && xs.length ? h('ul', { class: 'plain' }, xs.map((x) => h('li', {}, x))) : '—');

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/corrections' }, '数据校核'), ' / 校核申请详情'),
    h('h1', {}, `校核申请：${r.entry_name}`),
    h('p', { class: 'status-line' }, h('span', { class: 'state ' + (r.overdue ? 'deadline-overdue' : 'state-' + r.state), 'data-testid': 'correction-state' }, stateText(r))),
    h('dl', { class: 'facts' },
      row('共享授权', h('a', { href: '/console/grants/' + encodeURIComponent(r.grant_id) }, r.entry_name)),
      row('需求部门', names.get(r.consumer_id)),
      row('提供部门', names.get(r.provider_id)),
      row('问题类型', label(CORRECTION_KINDS, r.kind)),
      row('数据记录', list(r.rows), 'correction-rows'),
      row('数据项', list(r.items)),
      row('问题描述', r.description),
      row('依据材料', r.evidence),
      row('收到时间', formatDateTime(r.received_at)),
      row('反馈期限', r.deadline ? [formatDate(r.deadline.due), h('small', { class: 'rule' }, r.deadline.rule)] : DUE_PENDING, 'correction-due')),
    a ? h('section', { 'aria-labelledby': 'corr-answer-h', 'data-testid': 'correction-answer-view' },
      h('h2', { id: 'corr-answer-h' }, '校核处理结果'),
      h('dl', { class: 'facts' },
        row('处理结果', label(OUTCOMES, a.outcome), 'correction-outcome'),
        row(a.outcome === 'corrected' ? '更正的数据记录' : '核实的数据记录', list(a.rows)),
        row(a.outcome === 'corrected' ? '更正的数据项' : '核实的数据项', list(a.items)),
        a.outcome === 'corrected' ? row('托管数据变更序号', a.changes.length ? a.changes.join('、') : '（数据未在平台托管）', 'correction-changes') : null,
        a.reasons && a.reasons.length ? row('未更正的理由', list(a.reasons)) : null,
        row('处理说明', a.note),
        row('反馈时间', [formatDateTime(a.at), a.on_time ? '' : h('strong', { class: 'deadline-overdue' }, '（逾期反馈）')], 'correction-answered-at')),
      a.outcome === 'corrected' && a.changes.length
        ? h('p', { class: 'hint' }, '更正已进入该目录托管数据的变更记录，各需求部门通过批量交换或服务接口即可获得更正后的数据。') : null)
      : null,
    acts.answer ? h('section', { class: 'acts', 'aria-labelledby': 'corr-acts-h' },
      h('h2', { id: 'corr-acts-h' }, '办理'),
      h('p', {}, '先在 ', h('a', { href: '/console/datasets/' + encodeURIComponent(r.entry_id) }, '数据托管'), ' 中更正数据（载入更正后的数据行），再反馈处理结果。'),
      answerForm(r, (entry && entry.items ? entry.items.map((i) => i.name) : r.items), async (body) => {
        await post('/corrections/' + encodeURIComponent(r.id) + '/answer', body);
        await navigate(location.pathname, { replaceState: true });
        notice(main, '已反馈校核处理结果');
      })) : null,
    !acts.answer && r.state === 'open' && inOffice(session.person, r.consumer_id)
      ? h('p', { class: 'note' }, r.overdue ? '提供部门已逾期未反馈，可以与提供部门联系，或向政务数据共享主管部门反映。' : '等待提供部门核实反馈。') : null,
    h('section', { 'aria-labelledby': 'corr-timeline-h' },
      h('h2', { id: 'corr-timeline-h' }, '办理过程'),
      h('ol', { class: 'timeline', 'data-testid': 'timeline' },
        h('li', { 'data-action': 'correction.file' }, h('time', { datetime: r.received_at }, formatDateTime(r.received_at)),
          h('span', { class: 'act' }, '提出校核申请，提供部门即时收到'), h('span', { class: 'who' }, who(names.get(r.consumer_id), people.get(r.filed_by)))),
        a ? h('li', { 'data-action': 'correction.answer' }, h('time', { datetime: a.at }, formatDateTime(a.at)),
          h('span', { class: 'act' }, `反馈校核处理结果：${label(OUTCOMES, a.outcome)}${a.on_time ? '' : '（逾期）'}`), h('span', { class: 'who' }, who(names.get(r.provider_id), people.get(a.by))))
          : h('li', { 'data-action': 'pending' }, h('span', { class: 'act' }, r.deadline ? `待提供部门反馈，期限至 ${formatDate(r.deadline.due)}` : `待提供部门反馈，${DUE_PENDING}`)))));
}
