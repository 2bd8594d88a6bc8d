// The forms of the acts a person may take on an application now
// (docs/applications.md, "Who may do what"): the consumer's submission,
// its head's approval (sending) and resubmission, the provider's supplement
// request, extension request and its head's reply, the authority's decision
// on an extension, and withdrawal. Controls are named after the API's JSON
// fields so that a problem appears beside the field it names.
import { h } from './dom.js';
import { get } from './api.js';
import { GRADES } from './labels.js';
import { REASON_CATEGORIES } from './applications.js';

let seq = 0;
const uid = (name) => `act-${name}-${++seq}`;

function area(name, text, { value = '', hint = '', rows = 3 } = {}) {
  const id = uid(name.replace(/\W/g, '_'));
  const hintId = hint ? id + '-hint' : null;
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    hint ? h('small', { class: 'hint', id: hintId }, hint) : null,
    h('textarea', { id, name, rows, 'aria-describedby': hintId }, value));
}

const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/**
 * actionForms(app, acts, run) → the section of forms for acts (actsFor());
 * run(form, act, body) posts the command with the version and reloads.
 */
export function actionForms(app, acts, run) {
  const forms = [];
  const simple = (act, text, note, testid) => {
    const form = h('form', { class: 'act', 'data-testid': testid },
      note ? h('p', {}, note) : null,
      h('button', { type: 'submit' }, text));
    form.addEventListener('submit', (e) => { e.preventDefault(); run(form, act, {}); });
    return form;
  };

  if (acts.edit) {
    forms.push(h('p', { class: 'act' }, h('a', { href: `/console/applications/${encodeURIComponent(app.id)}/edit` }, '修改申请')));
  }
  if (acts.submit && !acts.send) {
    forms.push(simple('submit', '提交本部门负责人审批', '申请须经本部门共享工作机构负责人同意后才能发送提供部门。', 'act-submit'));
  }
  if (acts.send) {
    forms.push(simple('approve', '同意并发送', '同意后申请即发送提供部门，提供部门自收到之日起计算答复期限。', 'act-send'));
  }
  if (acts.resubmit) forms.push(resubmitForm(app, run));
  if (acts.resubmitByHead) {
    forms.push(h('p', { class: 'act note' }, '补充材料须经本部门共享工作机构负责人签发后重新提交，请提请负责人办理。'));
  }
  if (acts.supplement) forms.push(supplementForm(run));
  if (acts.reply) forms.push(replyForm(app, run));
  if (acts.replyByHead) {
    forms.push(h('p', { class: 'act note' }, '答复须经本部门共享工作机构负责人同意后作出，请提请负责人办理；材料不全的，可以一次性告知需补充的材料。'));
  }
  if (acts.extension) forms.push(extensionForm(run));
  if (acts.decideExtension) forms.push(decideForm(run));
  if (acts.withdraw) forms.push(withdrawForm(run));
  if (forms.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'acts-heading' },
    h('h2', { id: 'acts-heading' }, '办理'),
    forms);
}

function supplementForm(run) {
  const rows = h('div', { class: 'missing-rows' });
  let n = 0;
  const addRow = () => {
    const i = n++;
    const itemId = uid(`m${i}-item`);
    rows.append(h('div', { class: 'missing-row' },
      h('div', { class: 'field' },
        h('label', { for: itemId }, `第 ${i + 1} 项：事项`),
        h('input', { id: itemId, name: `missing[${i}].item` })),
      area(`missing[${i}].what`, `第 ${i + 1} 项：需补充的内容`, { rows: 2 })));
    return rows.lastElementChild;
  };
  addRow();
  const add = h('button', { type: 'button', class: 'button-plain' }, '再添加一项');
  add.addEventListener('click', () => addRow().querySelector('input').focus());
  const form = h('form', { class: 'act', 'data-testid': 'act-supplement' },
    h('h3', {}, '要求补充材料'),
    h('p', { class: 'hint' }, '材料不全的，应当一次性告知需要补充的全部材料，只能告知一次；告知后答复期限停止计算，补充后重新计算。'),
    h('fieldset', { name: 'missing', tabindex: '-1' }, h('legend', {}, '需补充的材料'), rows, add),
    h('button', { type: 'submit' }, '发送补充材料通知'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const missing = [...rows.querySelectorAll('.missing-row')].map((r) => ({
      item: r.querySelector('input').value, what: r.querySelector('textarea').value,
    })).filter((m, i) => i === 0 || m.item.trim() || m.what.trim());
    run(form, 'supplement-request', { missing });
  });
  return form;
}

function resubmitForm(app, run) {
  const s = app.supplement_request;
  const form = h('form', { class: 'act', 'data-testid': 'act-resubmit' },
    h('h3', {}, '补充材料并重新提交'),
    h('p', { class: 'hint' }, '请逐项答复；重新提交后，提供部门自收到之日起重新计算答复期限。'),
    h('fieldset', { name: 'answers', tabindex: '-1' },
      h('legend', {}, '逐项答复'),
      s.missing.map((m, i) => area(`answers[${i}]`, `${m.item}：${m.what}`))),
    h('details', {},
      h('summary', {}, '同时更正依据、应用场景或使用范围（可选）'),
      area('legal_basis', '依据', { value: app.legal_basis }),
      area('scenario', '应用场景', { value: app.scenario }),
      area('scope', '使用范围', { value: app.scope })),
    h('button', { type: 'submit' }, '签发并重新提交'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { answers: s.missing.map((_, i) => form.querySelector(`[name="answers[${i}]"]`).value) };
    for (const f of ['legal_basis', 'scenario', 'scope']) {
      const v = form.querySelector(`[name="${f}"]`).value;
      if (v.trim() !== app[f]) body[f] = v; // only what was corrected
    }
    run(form, 'resubmit', body);
  });
  return form;
}

// Grades whose items the service interface masks unless the grant names
// them in clear (internal/delivery.Sensitive: an unknown grade counts as
// sensitive too).
const NOT_SENSITIVE = ['general_l3', 'general_l2', 'general_l1'];

// Masking applies to what the platform delivers row by row; call limits to
// the service interface only. A file is delivered as uploaded.
const TERMS_METHODS = ['service_interface', 'batch_exchange'];

/**
 * The approval's terms for delivery: the sensitive granted items delivered
 * unmasked (clear_items) and, for the service interface, the call limits
 * (limits; empty: the platform's defaults). The items' grades come from the entry version
 * applied for, read after the form is shown; until then (or if it cannot be
 * read) every item is offered.
 */
function approvalTerms(app) {
  const boxes = app.items.map((it) => {
    const id = uid('clear');
    return h('div', { class: 'choice', 'data-item': it },
      h('input', { type: 'checkbox', id, name: 'clear_items[]', value: it }),
      h('label', { for: id }, it, h('small', { class: 'rule grade' })));
  });
  const clear = h('fieldset', { name: 'clear_items', tabindex: '-1' },
    h('legend', {}, '明文提供的敏感数据项（可选）'),
    h('small', { class: 'hint' }, '敏感级别（核心、重要、一般 L4）的数据项经服务接口或批量交换提供时默认脱敏；只勾选确需明文提供的，不勾选即全部脱敏。'),
    boxes);
  get(`/catalog/entries/${encodeURIComponent(app.entry_id)}/versions/${app.entry_version}`).then((v) => {
    const grades = new Map((v.items || []).map((x) => [x.name, x.grade]));
    for (const box of boxes) {
      const g = grades.get(box.dataset.item);
      if (!g) continue;
      box.querySelector('.grade').textContent = GRADES[g] || g;
      if (NOT_SENSITIVE.includes(g)) box.hidden = true;
    }
  }, () => { /* the grades stay unknown: every item is offered */ });
  const number = (name, text, hint) => {
    const id = uid(name.replace(/\W/g, '_'));
    return h('div', { class: 'field' },
      h('label', { for: id }, text),
      h('input', { id, name, type: 'number', min: 1, inputmode: 'numeric', 'aria-describedby': id + '-hint' }),
      h('small', { class: 'hint', id: id + '-hint' }, hint));
  };
  return h('div', { class: 'approval-terms' }, clear,
    app.delivery_method === 'service_interface' ? [
      number('limits.per_second', '每秒调用上限（可选）', '不填写为平台默认 50 次/秒'),
      number('limits.per_day', '每日调用上限（可选）', '不填写为平台默认 100000 次/日'),
    ] : null);
}

/** The approval's clear_items and limits from the form; absent when left empty. */
function approvalBody(form, body) {
  const clear = [...form.querySelectorAll('input[name="clear_items[]"]:checked')].filter((c) => !c.closest('[hidden]')).map((c) => c.value);
  if (clear.length) body.clear_items = clear;
  const limits = {};
  for (const k of ['per_second', 'per_day']) {
    const input = form.querySelector(`[name="limits.${k}"]`);
    if (input && input.value.trim() !== '') limits[k] = Number(input.value.trim());
  }
  if (Object.keys(limits).length) body.limits = limits;
}

function replyForm(app, run) {
  const approveId = uid('approve');
  const refuseId = uid('refuse');
  const categoryId = uid('category');
  const approveGroup = h('div', { class: 'reply-approve' },
    area('conditions', '使用条件（可选）', { hint: '同意时可附加使用条件，不填写即按申请的内容无条件同意' }),
    TERMS_METHODS.includes(app.delivery_method) ? approvalTerms(app) : null);
  const refuseGroup = h('div', { class: 'reply-refuse', hidden: true },
    h('div', { class: 'field' },
      h('label', { for: categoryId }, '理由类别'),
      h('select', { id: categoryId, name: 'reason_category' },
        h('option', { value: '' }, '请选择'),
        Object.entries(REASON_CATEGORIES).map(([code, text]) => h('option', { value: code }, text)))),
    area('reasons', '不同意的理由', { hint: '每行一条理由。材料不全的，请改为一次性告知需补充的材料，不得以此拒绝' }));
  const form = h('form', { class: 'act', 'data-testid': 'act-reply' },
    h('h3', {}, '答复'),
    h('fieldset', { name: 'decision', tabindex: '-1' },
      h('legend', {}, '答复结论'),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', id: approveId, name: 'decision_choice', value: 'approve', checked: true }),
        h('label', { for: approveId }, '同意共享')),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', id: refuseId, name: 'decision_choice', value: 'refuse' }),
        h('label', { for: refuseId }, '不同意共享'))),
    approveGroup, refuseGroup,
    h('button', { type: 'submit' }, '提交答复'));
  const decision = () => form.querySelector('[name="decision_choice"]:checked').value;
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'decision_choice') return;
    approveGroup.hidden = decision() !== 'approve';
    refuseGroup.hidden = decision() !== 'refuse';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { decision: decision() };
    if (body.decision === 'approve') {
      const c = form.querySelector('[name="conditions"]').value.trim();
      if (c) body.conditions = c;
      if (TERMS_METHODS.includes(app.delivery_method)) approvalBody(form, body);
    } else {
      body.reason_category = form.querySelector('[name="reason_category"]').value;
      body.reasons = lines(form.querySelector('[name="reasons"]').value);
      if (!body.reason_category) delete body.reason_category;
    }
    run(form, 'reply', body);
  });
  return form;
}

function extensionForm(run) {
  const daysId = uid('days');
  const form = h('form', { class: 'act', 'data-testid': 'act-extension' },
    h('h3', {}, '申请延长答复期限'),
    h('p', { class: 'hint' }, '确需延长的，报经同级主管部门同意，可延长一次，最长不超过10个工作日。'),
    h('div', { class: 'field' },
      h('label', { for: daysId }, '延长工作日数（1至10）'),
      h('input', { id: daysId, name: 'days', type: 'number', min: 1, max: 10 })),
    area('reason', '延长理由'),
    h('button', { type: 'submit' }, '报主管部门审批'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.querySelector('[name="days"]').value;
    run(form, 'extension', { days: v === '' ? 0 : Number(v), reason: form.querySelector('[name="reason"]').value });
  });
  return form;
}

function decideForm(run) {
  const grantId = uid('grant');
  const refuseId = uid('deny');
  const form = h('form', { class: 'act', 'data-testid': 'act-decide-extension' },
    h('h3', {}, '审批延长答复期限'),
    h('fieldset', { name: 'decision', tabindex: '-1' },
      h('legend', {}, '审批结论'),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', id: grantId, name: 'decision_choice', value: 'grant' }),
        h('label', { for: grantId }, '同意延长')),
      h('div', { class: 'choice' },
        h('input', { type: 'radio', id: refuseId, name: 'decision_choice', value: 'refuse' }),
        h('label', { for: refuseId }, '不同意延长'))),
    area('note', '审批意见（可选）'),
    h('button', { type: 'submit' }, '提交审批意见'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = form.querySelector('[name="decision_choice"]:checked');
    run(form, 'extension/decision', { decision: chosen ? chosen.value : '', note: form.querySelector('[name="note"]').value });
  });
  return form;
}

function withdrawForm(run) {
  const form = h('form', { class: 'act act-withdraw', 'data-testid': 'act-withdraw' },
    h('h3', {}, '撤回申请'),
    area('reason', '撤回理由（可选）', { rows: 2 }),
    h('button', { type: 'submit', class: 'button-danger' }, '撤回申请'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(form, 'withdraw', { reason: form.querySelector('[name="reason"]').value });
  });
  return form;
}
