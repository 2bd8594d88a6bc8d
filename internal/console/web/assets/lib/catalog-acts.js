// What a person may do next with a catalog entry, on its page
// (docs/catalog.md, "Lifecycle" and "Who may do what"): the provider's
// office edits a draft, a returned or a published entry and records the two
// assessments of Art. 13; its head approves and submits; a reviewer of the
// same-level authority publishes or returns with reasons. Each act sends the
// version last read and reloads the page. The API decides again.
import { h } from './dom.js';
import { get, post, put } from './api.js';
import { onSubmit } from './problems.js';
import { formatDate, formatDateTime } from './format.js';

const CONCLUSIONS = { passed: '通过', passed_with_measures: '采取措施后通过', failed: '未通过' };
const ASSESSMENTS = { secrecy: '保密风险评估', personal_information: '个人信息保护影响评估' };

let seq = 0;
const uid = (name) => `act-${name.replace(/[^\w-]/g, '_')}-${++seq}`;

/** actsFor(person, e) → which acts to offer. */
export function actsFor(person, e) {
  const roles = person.roles || [];
  const own = !!person.department_id && person.department_id === e.provider_id;
  const office = own && roles.some((r) => r === 'office_head' || r === 'office_staff');
  const working = e.state === 'draft' || e.state === 'returned';
  return {
    edit: office && (working || e.state === 'published'),
    assess: office && working,
    submit: own && roles.includes('office_head') && working,
    review: e.state === 'submitted' && roles.includes('authority_reviewer') && !!e.review
      && e.review.authority_id === person.department_id,
  };
}

/** The review's facts: due date while submitted, the decision afterwards, return reasons. */
export function reviewFacts(e) {
  const r = e.review;
  if (!r) return null;
  const row = (term, value, testid) => [h('dt', {}, term), h('dd', { 'data-testid': testid }, value || '—')];
  return h('section', { 'aria-labelledby': 'review-heading' },
    h('h2', { id: 'review-heading' }, '审核情况'),
    h('dl', { class: 'catalog-facts' },
      row('报送时间', formatDateTime(r.submitted_at)),
      e.state === 'submitted' ? row('审核期限', [formatDate(r.due), r.rule ? h('small', { class: 'rule' }, r.rule) : null]) : null,
      r.decided_at ? row('审核时间', formatDateTime(r.decided_at)) : null,
      r.opinion ? row('审核意见', r.opinion) : null,
      r.return_reasons ? row('退回理由', r.return_reasons, 'return-reasons') : null));
}

/** The two assessments as recorded on the version shown. */
export function assessmentFacts(e) {
  const as = e.assessments || {};
  return h('section', { 'aria-labelledby': 'assess-heading' },
    h('h2', { id: 'assess-heading' }, '安全评估（第十三条）'),
    h('dl', { class: 'catalog-facts', 'data-testid': 'assessments' },
      Object.entries(ASSESSMENTS).map(([key, name]) => {
        const a = as[key];
        return [h('dt', {}, name), h('dd', { 'data-testid': 'assessment-' + key },
          a ? `${CONCLUSIONS[a.conclusion] || a.conclusion}（${formatDate(a.assessed_on)}，${a.assessor}）：${a.summary}` : '尚未评估')];
      })));
}

/** actForms(e, acts, reload) → the section of the acts offered, or null; reload(text) re-reads the page and tells text. */
export async function actForms(e, acts, reload) {
  const path = '/catalog/entries/' + encodeURIComponent(e.id);
  // act(send, text) → the command of a form (onSubmit: problems shown in
  // the form, buttons disabled meanwhile): send, then read the page again.
  const act = (send, text) => async () => {
    await send();
    await reload(text);
  };
  const forms = [];
  const note = duplicatesNote(e);
  if (note) forms.push(note);
  if (acts.edit) {
    forms.push(h('p', { class: 'act' }, h('a', { class: 'button-link', href: `/console/catalog/entries/${encodeURIComponent(e.id)}/edit` },
      e.state === 'published' ? '编制新版本' : '修改目录')));
  }
  if (acts.assess) forms.push(await assessForm(e, (body) => act(() => put(path + '/assessments', { ...body, version: e.version }), '已保存安全评估。')));
  if (acts.submit) {
    const form = h('form', { class: 'act', 'data-testid': 'act-submit' },
      h('h3', {}, '负责人审批'),
      h('p', { class: 'hint' }, '审批同意后，目录报送本级主管部门审核；主管部门自收到之日起2个工作日内发布或退回（第十六条、第十七条）。'),
      h('button', { type: 'submit' }, '审批同意并报送主管部门'));
    onSubmit(form, act(() => post(path + '/submit', { version: e.version }), '已审批同意，目录已报送主管部门审核。'));
    forms.push(form);
  }
  if (acts.review) forms.push(publishForm(e, path, act), returnForm(e, path, act));
  if (forms.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'catalog-acts-heading' },
    h('h2', { id: 'catalog-acts-heading' }, '办理'), forms);
}

function field(name, text, control) {
  const id = uid(name);
  control.id = id;
  control.name = name;
  return h('div', { class: 'field' }, h('label', { for: id }, text), control);
}

/** assessForm(e, command): command(body) is the form's command for the assessments entered. */
async function assessForm(e, command) {
  // The assessment date may not be after the platform's today; offer it.
  const today = await get('/calendar').then((c) => c.today || '').catch(() => '');
  const as = e.assessments || {};
  const part = (key, name) => {
    const a = as[key] || {};
    return h('fieldset', { name: key, tabindex: '-1' },
      h('legend', {}, name),
      field(`${key}.conclusion`, `${name}结论`, h('select', {},
        h('option', { value: '' }, '请选择'),
        Object.entries(CONCLUSIONS).map(([c, t]) => h('option', { value: c, selected: c === a.conclusion }, t)))),
      field(`${key}.assessed_on`, `${name}日期`, h('input', { type: 'date', value: a.assessed_on || today, max: today || null })),
      field(`${key}.assessor`, `${name}评估人或评估机构`, h('input', { value: a.assessor || '' })),
      field(`${key}.summary`, `${name}摘要`, h('textarea', { rows: 2 }, a.summary || '')));
  };
  const form = h('form', { class: 'act', 'data-testid': 'act-assess', novalidate: true },
    h('h3', {}, '登记安全评估'),
    h('p', { class: 'hint' }, '报送前须完成保密风险评估和个人信息保护影响评估，评估未通过的不得报送。目录修改形成新版本的，须重新评估。'),
    part('secrecy', '保密风险评估'),
    part('personal_information', '个人信息保护影响评估'),
    h('button', { type: 'submit' }, '保存评估'));
  // Both recorded: the form stays folded until someone means to assess again.
  const done = as.secrecy && as.personal_information;
  onSubmit(form, () => {
    const body = {};
    for (const key of Object.keys(ASSESSMENTS)) {
      const v = (f) => form.elements[`${key}.${f}`].value.trim();
      const a = { conclusion: v('conclusion'), assessed_on: v('assessed_on'), assessor: v('assessor'), summary: v('summary') };
      // An untouched part is left out: one assessment may be recorded first.
      if (a.conclusion || a.assessor || a.summary) body[key] = a;
    }
    return command(body)();
  });
  return done ? h('details', { class: 'act' }, h('summary', {}, '重新登记安全评估'), form) : form;
}

function publishForm(e, path, act) {
  const form = h('form', { class: 'act', 'data-testid': 'act-publish', novalidate: true },
    h('h3', {}, '审核通过并发布'),
    field('opinion', '审核意见（可选）', h('textarea', { rows: 2 })),
    h('button', { type: 'submit' }, '审核通过并发布'));
  onSubmit(form, act(() => post(path + '/publish', { version: e.version, opinion: form.elements.opinion.value.trim() }), '已审核通过并发布。'));
  return form;
}

function returnForm(e, path, act) {
  const form = h('form', { class: 'act', 'data-testid': 'act-return', novalidate: true },
    h('h3', {}, '退回修改'),
    field('reasons', '退回理由（必填）', h('textarea', { rows: 3 })),
    h('button', { type: 'submit' }, '退回'));
  onSubmit(form, act(() => post(path + '/return', { version: e.version, reasons: form.elements.reasons.value.trim() }), '已退回提供部门修改。'));
  return form;
}

// Duplicates (Art. 19) come only in the answer to a save: the edit page
// keeps them here for the entry's page to tell once, then forgets them.
const told = new Map();

/** keepDuplicates(saved) remembers the duplicates of a save's answer. */
export function keepDuplicates(saved) {
  if (saved && saved.duplicates && saved.duplicates.length) told.set(saved.id, saved.duplicates);
}

/** duplicatesNote(e) → the note on items other departments already share, once, or null. */
export function duplicatesNote(e) {
  const ds = told.get(e.id);
  told.delete(e.id);
  if (!ds) return null;
  return h('div', { class: 'form-error', role: 'status', 'data-testid': 'duplicates' },
    h('p', {}, '以下数据项其他部门已编目共享，请核实是否重复采集（第十九条）：'),
    h('ul', {}, ds.map((d) => h('li', {},
      `${d.item}：`, h('a', { href: '/console/catalog/entries/' + encodeURIComponent(d.entry_id) }, d.entry_name),
      `（${d.department_name}${d.source_department_name ? `；数据源部门：${d.source_department_name}` : ''}）`))));
}
