// Catalog updates after a legal or duty change (Art. 17; docs/catalog.md,
// "Dynamic updates"): the entry page's list of update obligations and the
// form recording a change, and on the obligation's page the provider's
// request for 5 more working days and the authority's decision. Who is
// offered what follows docs/catalog.md "Who may do what"; the API decides
// again. Each act sends the version last read.
import { h } from './dom.js';
import { post } from './api.js';
import { attempt } from './problems.js';
import { formatDate, formatDateTime } from './format.js';
import { CHANGE_KINDS, EXTENSION_STATES, label } from './labels.js';

let seq = 0;
const uid = (name) => `obl-${name}-${++seq}`;

export const obligationHref = (o) => `/console/catalog/obligations/${encodeURIComponent(o.id)}`;

const roles = (p) => p.roles || [];
const isOffice = (p) => roles(p).some((r) => r === 'office_head' || r === 'office_staff');

/** mayRecordChange(person, e): the provider's office, or a reviewer of its same-level authority, on a published entry. */
export function mayRecordChange(person, e) {
  if (!e.published_version || !person.department_id) return false;
  if (isOffice(person) && person.department_id === e.provider_id) return true;
  return roles(person).includes('authority_reviewer') && !!e.review && e.review.authority_id === person.department_id;
}

/** obligationActs(person, o, today) → which acts the obligation's page offers. */
export function obligationActs(person, o, today) {
  const open = !o.fulfilled_at;
  const provider = isOffice(person) && person.department_id === o.provider_id;
  return {
    // Asked once, while open and before the period ends (catalog.extension_too_late otherwise).
    request: provider && open && !o.extension && (!today || today <= o.due),
    decide: open && roles(person).includes('authority_reviewer') && person.department_id === o.authority_id
      && !!o.extension && o.extension.state === 'requested',
    update: provider && open,
  };
}

/** stateText(o) → how the obligation stands, in Chinese, with the class of its colour. */
export function stateText(o) {
  if (o.fulfilled_at) {
    return o.late
      ? { text: `逾期完成（第 ${o.fulfilled_version} 版）`, cls: 'deadline-overdue' }
      : { text: `已完成（第 ${o.fulfilled_version} 版）`, cls: 'deadline-ok' };
  }
  return o.overdue ? { text: '已超期未更新', cls: 'deadline-overdue' } : { text: '待更新', cls: 'deadline-soon' };
}

/** obligationsSection(e, obligations, person, today, done) → the list and, when offered, the change form. */
export function obligationsSection(e, obligations, person, today, done) {
  const list = obligations.length === 0 ? h('p', { class: 'empty' }, '暂无登记的法律法规调整或职责变化。')
    : h('table', { 'data-testid': 'obligations' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '发生日期'), h('th', { scope: 'col' }, '变化类型'), h('th', { scope: 'col' }, '说明'),
        h('th', { scope: 'col' }, '更新期限'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '延长申请'))),
      h('tbody', {}, obligations.map((o) => {
        const s = stateText(o);
        return h('tr', { 'data-obligation': o.id },
          h('td', {}, h('a', { href: obligationHref(o) }, formatDate(o.changed_on))),
          h('td', {}, label(CHANGE_KINDS, o.kind)),
          h('td', {}, o.description),
          h('td', {}, formatDate(o.due)),
          h('td', {}, h('span', { class: 'deadline ' + s.cls }, s.text)),
          h('td', {}, o.extension ? label(EXTENSION_STATES, o.extension.state) : '—'));
      })));
  return h('section', { 'aria-labelledby': 'obligations-heading' },
    h('h2', { id: 'obligations-heading' }, '目录更新（第十七条）'),
    h('p', { class: 'hint' }, '法律、行政法规、国务院决定调整或职责变化的，应自发生之日起10个工作日内更新目录；经本级主管部门同意可延长5个工作日。报送新版本即完成更新。'),
    list,
    mayRecordChange(person, e) ? changeForm(e, today, done) : null);
}

function field(name, text, control, hint) {
  const id = uid(name);
  control.id = id;
  control.name = name;
  const hintId = hint ? id + '-hint' : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { id: hintId, class: 'hint' }, hint) : null, control);
}

function changeForm(e, today, done) {
  const form = h('form', { class: 'act', 'data-testid': 'act-change', novalidate: true },
    h('h3', {}, '登记法律法规调整或职责变化'),
    field('changed_on', '发生日期', h('input', { type: 'date', max: today || null }), '调整施行或职责变化之日，不能晚于今天'),
    field('kind', '变化类型', h('select', {}, h('option', { value: '' }, '请选择'),
      Object.entries(CHANGE_KINDS).map(([k, t]) => h('option', { value: k }, t)))),
    field('description', '说明', h('textarea', { rows: 2 })),
    h('button', { type: 'submit' }, '登记变更'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    attempt(form, async () => {
      // An empty date is left out: the API then names the field (an empty string is malformed JSON to it).
      const o = await post('/catalog/entries/' + encodeURIComponent(e.id) + '/changes',
        { changed_on: v('changed_on') || undefined, kind: v('kind'), description: v('description') });
      await done(obligationHref(o), `已登记变更，应于${formatDate(o.due)}前完成目录更新。`);
    });
  });
  return h('details', { class: 'act' }, h('summary', {}, '登记法律法规调整或职责变化'), form);
}

/** obligationFacts(o, people, todo) → the obligation and its extension; todo: deadline() of its to-do item, if any. */
export function obligationFacts(o, people, todo) {
  // A person the reader may not see (personal data) is left unnamed.
  const by = (id) => (id && people.get(id) ? '，' + people.get(id) : '');
  const s = stateText(o);
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid || null }, value || '—')];
  const x = o.extension;
  return [
    h('dl', { class: 'catalog-facts' },
      row('目录', h('a', { href: '/console/catalog/entries/' + encodeURIComponent(o.entry_id) }, o.entry_name)),
      row('变化类型', label(CHANGE_KINDS, o.kind)),
      row('发生日期', formatDate(o.changed_on)),
      row('说明', o.description),
      row('登记', `${formatDateTime(o.created_at)}${by(o.recorded_by)}`),
      row('更新期限', [formatDate(o.due), o.rule ? h('small', { class: 'rule' }, o.rule) : null], 'obligation-due'),
      todo ? row('剩余工作日', h('span', { class: 'deadline ' + todo.cls }, todo.text)) : null,
      row('状态', h('span', { class: 'deadline ' + s.cls }, s.text), 'obligation-state'),
      o.fulfilled_at ? row('完成时间', formatDateTime(o.fulfilled_at)) : null),
    x ? h('section', { 'aria-labelledby': 'ext-heading' },
      h('h2', { id: 'ext-heading' }, '延长更新期限'),
      h('dl', { class: 'catalog-facts' },
        row('状态', label(EXTENSION_STATES, x.state), 'extension-state'),
        row('理由', x.reason),
        row('申请', `${formatDateTime(x.requested_at)}${by(x.requested_by)}`),
        row('原更新期限', formatDate(x.original_due)),
        x.decided_at ? row('决定', `${formatDateTime(x.decided_at)}${by(x.decided_by)}`) : null,
        x.note ? row('说明', x.note, 'extension-note') : null)) : null,
  ];
}

/** obligationForms(o, acts, done) → the section of the acts offered on the obligation's page, or null. */
export function obligationForms(o, acts, done) {
  const path = '/catalog/obligations/' + encodeURIComponent(o.id) + '/extension';
  const forms = [];
  if (acts.update) {
    forms.push(h('p', { class: 'act' },
      h('a', { class: 'button-link', href: `/console/catalog/entries/${encodeURIComponent(o.entry_id)}/edit` }, '编制新版本'),
      ' ', h('span', { class: 'hint' }, '新版本经负责人审批报送后，本项更新即完成。')));
  }
  if (acts.request) {
    const form = h('form', { class: 'act', 'data-testid': 'act-extension', novalidate: true },
      h('h3', {}, '申请延长更新期限'),
      h('p', { class: 'hint' }, '须在更新期限届满前申请，每项更新只能申请一次；主管部门同意的，期限自原期限起延长5个工作日。'),
      field('reason', '延长理由', h('textarea', { rows: 2 })),
      h('button', { type: 'submit' }, '提交延长申请'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      attempt(form, async () => {
        await post(path, { reason: form.elements.reason.value.trim(), version: o.version });
        await done('已提交延长申请，等待主管部门决定。');
      });
    });
    forms.push(form);
  }
  if (acts.decide) {
    const yesId = uid('grant-yes');
    const noId = uid('grant-no');
    const form = h('form', { class: 'act', 'data-testid': 'act-extension-decision', novalidate: true },
      h('h3', {}, '决定是否同意延长'),
      h('fieldset', { name: 'grant', tabindex: '-1' },
        h('legend', {}, '决定'),
        h('div', {}, h('input', { type: 'radio', id: yesId, name: 'grant', value: 'true' }), h('label', { for: yesId }, '同意延长5个工作日')),
        h('div', {}, h('input', { type: 'radio', id: noId, name: 'grant', value: 'false' }), h('label', { for: noId }, '不同意延长'))),
      field('note', '说明（不同意的必填）', h('textarea', { rows: 2 })),
      h('button', { type: 'submit' }, '提交决定'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const choice = form.querySelector('input[name="grant"]:checked');
      attempt(form, async () => {
        if (!choice) throw Object.assign(new Error('grant'), { status: 422, field: 'grant', title: '请选择是否同意延长', code: 'request.field_required' });
        const grant = choice.value === 'true';
        const after = await post(path + '/decision', { grant, note: form.elements.note.value.trim(), version: o.version });
        await done(grant ? `已同意延长，更新期限延至${formatDate(after.due)}。` : '已决定不同意延长。');
      });
    });
    forms.push(form);
  }
  if (forms.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'obligation-acts-heading' },
    h('h2', { id: 'obligation-acts-heading' }, '办理'), forms);
}
