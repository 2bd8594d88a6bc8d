// One service change (GET /api/v1/service-changes/{id}): what the provider
// proposes and why, the consumers consulted and their answers, the filing
// with the same-level authority and its answer, what took effect, the
// timeline, and the acts the person may take now. Each act carries the
// version read here; a change the person may not see is the not-found page.
import { h, replace } from '../lib/dom.js';
import { get, post } from '../lib/api.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { attempt } from '../lib/problems.js';
import { DELIVERY_METHODS, label } from '../lib/labels.js';
import { deptNames } from '../lib/applications.js';
import { personNames, who, whoSpan } from '../lib/people.js';
import { SC_ACTIONS, SC_KINDS, SC_POSITIONS, SC_STATES, changesText, scActsFor } from '../lib/service-changes.js';

export const title = '服务变更详情';

let seq = 0;
const uid = (n) => `sc-${n}-${++seq}`;

function area(name, text, hint) {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { class: 'hint' }, hint) : null,
    h('textarea', { id, name, rows: 3 }));
}

export async function render({ main, params, session, navigate }) {
  const c = await get('/service-changes/' + encodeURIComponent(params.id));
  const [names, people, cal] = await Promise.all([
    deptNames([c.provider_id, c.authority_id, ...c.history.map((s) => s.department_id)]),
    personNames(c.history.map((s) => s.actor_id)),
    get('/calendar'), // today is the platform's date, not the browser's
  ]);
  document.title = `${c.entry_name} · ${document.title}`;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];
  const acts = scActsFor(session.person, c, cal.today || '');

  const run = (form, act, body) => attempt(form, async () => {
    await post('/service-changes/' + encodeURIComponent(c.id) + '/' + act, { ...body, version: c.version });
    await navigate(location.pathname, { replaceState: true });
  });

  replace(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/console/service-changes' }, '服务变更'), ' / 服务变更详情'),
    h('h1', {}, `${label(SC_KINDS, c.kind)}：${c.entry_name}`),
    h('p', { class: 'status-line' }, h('span', { class: 'state state-' + c.state, 'data-testid': 'sc-state' }, label(SC_STATES, c.state))),
    h('dl', { class: 'facts' },
      row('数据目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(c.entry_id) }, `${c.entry_name}（第 ${c.entry_version} 版）`)),
      row('提供部门', names.get(c.provider_id)),
      row('类型', label(SC_KINDS, c.kind)),
      row('终止或变更内容', changesText(c, (m) => label(DELIVERY_METHODS, m)), 'sc-changes'),
      row('理由', c.reason, 'sc-reason'),
      row('拟生效日期', formatDate(c.effective_date), 'sc-effective-date'),
      row('备案主管部门', c.authority_name || names.get(c.authority_id)),
      row('协商期限', [formatDate(c.consultation.due), h('small', { class: 'rule' }, c.consultation.rule)])),
    consultation(c),
    filing(c),
    effect(c),
    forms(c, acts, run),
    timeline(c, names, people));
}

function consultation(c) {
  return h('section', { 'aria-labelledby': 'sc-consult-heading' },
    h('h2', { id: 'sc-consult-heading' }, '与需求部门协商'),
    (c.consumers || []).length === 0
      ? h('p', { class: 'empty' }, '提出时没有持有有效或暂停共享授权的需求部门。')
      : h('table', { class: 'sc-consumers', 'data-testid': 'sc-consumers' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '需求部门'), h('th', { scope: 'col' }, '共享授权'),
          h('th', { scope: 'col' }, '答复'), h('th', { scope: 'col' }, '意见'), h('th', { scope: 'col' }, '答复时间'))),
        h('tbody', {}, c.consumers.map((k) => h('tr', { 'data-consumer': k.department_id },
          h('td', {}, k.name),
          h('td', {}, k.grant_ids.map((g, i) => [i ? '、' : '', h('a', { href: '/console/grants/' + encodeURIComponent(g) }, `授权${i + 1}`)])),
          h('td', { 'data-testid': 'sc-position' }, k.answer ? label(SC_POSITIONS, k.answer.position) : '待答复'),
          h('td', {}, (k.answer && k.answer.opinion) || '—'),
          h('td', {}, k.answer && k.answer.by ? formatDateTime(k.answer.at) : '—'))))));
}

function filing(c) {
  if (!c.filing) return null;
  const d = c.decision;
  return h('section', { 'aria-labelledby': 'sc-filing-heading' },
    h('h2', { id: 'sc-filing-heading' }, '备案'),
    h('dl', { class: 'facts' },
      h('dt', {}, '报备案时间'), h('dd', {}, formatDateTime(c.filing.at)),
      c.filing.note ? [h('dt', {}, '报备说明'), h('dd', {}, c.filing.note)] : null,
      h('dt', {}, '办理期限'), h('dd', {}, formatDate(c.filing.deadline.due), h('small', { class: 'rule' }, c.filing.deadline.rule)),
      d ? [h('dt', {}, '主管部门意见'), h('dd', { 'data-testid': 'sc-decision' }, d.acknowledged ? '予以备案' : '退回')] : null,
      d && d.reasons && d.reasons.length ? [h('dt', {}, d.acknowledged ? '备注' : '退回理由'), h('dd', {}, h('ul', {}, d.reasons.map((r) => h('li', {}, r))))] : null,
      d ? [h('dt', {}, '办理时间'), h('dd', {}, formatDateTime(d.at))] : null));
}

function effect(c) {
  if (!c.effect) return null;
  const ended = c.effect.subscriptions_ended || [];
  return h('section', { 'aria-labelledby': 'sc-effect-heading' },
    h('h2', { id: 'sc-effect-heading' }, '生效'),
    h('p', { 'data-testid': 'sc-effect' }, `${formatDateTime(c.effect.at)} 生效，`,
      c.kind === 'terminate' ? `终止共享授权 ${c.effect.grants.length} 项。` : `变更共享授权 ${c.effect.grants.length} 项。`),
    c.effect.grants.length ? h('ul', {}, c.effect.grants.map((g) => h('li', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g) }, g)))) : null,
    notCovered(c),
    ended.length ? h('p', { 'data-testid': 'sc-effect-subscriptions' },
      `同时结束已无法继续推送的推送订阅 ${ended.length} 项（需求部门可按变更后的授权重新订阅）。`) : null,
    c.kind === 'terminate' ? h('p', { class: 'hint', 'data-testid': 'sc-effect-entry' },
      '终止服务不下架目录：此后该目录上的新共享申请仍可提出和批准，提供部门如不再提供，应当更新或下架目录。') : null);
}

// notCovered lists the grants approved after the proposal: never consulted
// on, so the change left them running; the provider must propose again.
function notCovered(c) {
  const ids = c.effect.not_covered || [];
  if (!ids.length) return null;
  const kind = c.kind === 'terminate' ? '终止' : '变更';
  return h('div', { role: 'note', 'data-testid': 'sc-effect-not-covered' },
    h('p', {}, `提出${kind}后批准的共享授权 ${ids.length} 项未经协商，本次${kind}不适用，仍在提供；如需一并${kind}，提供部门应当重新提出：`),
    h('ul', {}, ids.map((g) => h('li', {}, h('a', { href: '/console/grants/' + encodeURIComponent(g) }, g)))));
}

function forms(c, acts, run) {
  const out = [];
  if (acts.answer) {
    const agree = uid('agree');
    const object = uid('object');
    const form = h('form', { class: 'act', 'data-testid': 'sc-answer' },
      h('h3', {}, '答复协商'),
      h('fieldset', { name: 'position', tabindex: '-1' }, h('legend', {}, '本部门意见'),
        h('div', { class: 'check' }, h('input', { type: 'radio', id: agree, name: 'position', value: 'agree', checked: true }), h('label', { for: agree }, '同意')),
        h('div', { class: 'check' }, h('input', { type: 'radio', id: object, name: 'position', value: 'object' }), h('label', { for: object }, '有异议'))),
      area('opinion', '意见', '有异议的，请说明理由及对业务的影响；每个需求部门只能答复一次。'),
      h('button', { type: 'submit' }, '签发答复'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run(form, 'answers', { position: form.querySelector('[name="position"]:checked').value, opinion: form.querySelector('[name="opinion"]').value });
    });
    out.push(form);
  }
  if (acts.answerByHead) out.push(h('p', { class: 'act note' }, '协商答复须由本部门共享工作机构负责人签发，请提请负责人办理。'));
  if (acts.file) {
    const form = h('form', { class: 'act', 'data-testid': 'sc-file' },
      h('h3', {}, '报同级主管部门备案'),
      h('p', { class: 'hint' }, '协商记录随同报送；未在期限内答复的需求部门将记为“期限届满未答复”。'),
      area('note', '报备说明（可选）'),
      h('button', { type: 'submit' }, '报备案'));
    form.addEventListener('submit', (e) => { e.preventDefault(); run(form, 'filing', { note: form.querySelector('[name="note"]').value }); });
    out.push(form);
  } else if (c.state === 'consulting' && acts.withdraw) {
    out.push(h('p', { class: 'act note', 'data-testid': 'sc-wait' }, '需求部门均已答复或协商期限届满后，方可报同级主管部门备案。'));
  }
  if (acts.decide) {
    const ack = h('form', { class: 'act', 'data-testid': 'sc-acknowledge' },
      h('h3', {}, '予以备案'),
      h('p', { class: 'hint' }, '备案后，到拟生效日期变更即生效；拟生效日期已到的，备案即生效。'),
      area('note', '备注（可选）'),
      h('button', { type: 'submit' }, '予以备案'));
    ack.addEventListener('submit', (e) => { e.preventDefault(); run(ack, 'acknowledge', { note: ack.querySelector('[name="note"]').value }); });
    const ret = h('form', { class: 'act', 'data-testid': 'sc-return' },
      h('h3', {}, '退回'),
      area('reasons', '退回理由', '每行一条，例如：未说明正当理由；协商不充分。'),
      h('button', { type: 'submit' }, '退回'));
    ret.addEventListener('submit', (e) => {
      e.preventDefault();
      run(ret, 'return', { reasons: ret.querySelector('[name="reasons"]').value.split('\n').map((s) => s.trim()).filter(Boolean) });
    });
    out.push(ack, ret);
  }
  if (acts.effect) {
    const form = h('form', { class: 'act', 'data-testid': 'sc-effect-act' },
      h('p', {}, '已备案且已到拟生效日期，可以实施。'),
      h('button', { type: 'submit' }, '实施变更'));
    form.addEventListener('submit', (e) => { e.preventDefault(); run(form, 'effect', {}); });
    out.push(form);
  }
  if (acts.withdraw) {
    const form = h('form', { class: 'act', 'data-testid': 'sc-withdraw' },
      h('h3', {}, '撤回'),
      area('reason', '撤回理由'),
      h('button', { type: 'submit', class: 'button-plain' }, '撤回服务变更'));
    form.addEventListener('submit', (e) => { e.preventDefault(); run(form, 'withdraw', { reason: form.querySelector('[name="reason"]').value }); });
    out.push(form);
  }
  if (out.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'sc-acts-heading' }, h('h2', { id: 'sc-acts-heading' }, '办理'), out);
}

function timeline(c, names, people) {
  return h('section', { 'aria-labelledby': 'sc-timeline-heading' },
    h('h2', { id: 'sc-timeline-heading' }, '办理过程'),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' }, c.history.map((s) => h('li', { 'data-action': s.action },
      h('time', { datetime: s.at }, formatDateTime(s.at)),
      h('span', { class: 'act' }, label(SC_ACTIONS, s.action)),
      whoSpan(who(s.department_id && names.get(s.department_id), people.get(s.actor_id))),
      s.note && s.action !== 'service_change.effective' ? h('span', { class: 'note' }, label(SC_POSITIONS, s.note)) : null))));
}
