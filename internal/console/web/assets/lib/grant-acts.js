// The acts on a grant after delivery (docs/grants.md, "Who may do what"):
// the provider or a competent authority suspends with a deadline for
// rectification and terminates; the suspender restores; the consumer's office
// reports its rectification and disposes of the data; the provider's office
// states its disposal requirement; the provider's head consents to a third
// party (Art. 25). grantActsFor() only decides what to offer: the API decides
// again (an authority reviewer outside both parties' line is refused there).
// Controls are named after the API's JSON fields, so a problem appears
// beside the field it names.
import { h } from './dom.js';
import { field } from './admin-form.js';
import { SUSPEND_GROUNDS, DISPOSAL_METHODS, DISPOSAL_REASONS } from './labels.js';
import { inOffice } from './delivery.js';

const has = (person, role) => (person.roles || []).includes(role);

/** grantActsFor(person, g) → {suspend, resume, terminate, rectify, requireDisposal, dispose, consent}. */
export function grantActsFor(person, g) {
  const head = has(person, 'office_head') && person.department_id === g.provider_id;
  const controller = head || has(person, 'authority_reviewer');
  const s = g.suspension;
  const suspender = g.state === 'suspended' && !!s && !!s.department_id && s.department_id === person.department_id &&
    (person.department_id === g.provider_id ? has(person, 'office_head') : has(person, 'authority_reviewer'));
  const consumer = inOffice(person, g.consumer_id);
  // Disposing of an active grant ends its delivery for good: the consumer's
  // office head only; any of its office records the disposal of an ended one.
  const consumerHead = has(person, 'office_head') && person.department_id === g.consumer_id;
  // A grant suspended before suspensions were recorded names no suspender:
  // whoever may control it restores it (the API decides again).
  const unknownSuspender = g.state === 'suspended' && !(s && s.department_id);
  return {
    suspend: g.state === 'active' && controller,
    resume: !!suspender || (unknownSuspender && controller),
    terminate: (g.state === 'active' || g.state === 'suspended') && controller,
    rectify: g.state === 'suspended' && consumer,
    requireDisposal: g.state !== 'disposed' && inOffice(person, g.provider_id),
    dispose: (g.state === 'active' && consumerHead) || (['expired', 'terminated'].includes(g.state) && consumer),
    consent: (g.state === 'active' || g.state === 'suspended') && head,
  };
}

const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);
const options = (table) => Object.entries(table);

/**
 * grantActionForms(g, acts, run, today, departments) → the section of forms
 * for acts; run(form, path, body, done) sends the command with the version
 * read and reloads the page, then says done. departments ([{id, name}], or
 * null when they could not be read) are the third parties a consent may name.
 */
export function grantActionForms(g, acts, run, today, departments) {
  const forms = [];
  if (acts.suspend) forms.push(suspendForm(run, today));
  if (acts.rectify) forms.push(rectifyForm(run));
  if (acts.resume) forms.push(resumeForm(run));
  if (acts.terminate) forms.push(terminateForm(g, run));
  if (acts.requireDisposal) forms.push(requirementForm(g, run));
  if (acts.dispose) forms.push(disposeForm(g, run, today));
  if (acts.consent) forms.push(consentForm(g, run, departments));
  if (forms.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'grant-acts-h' },
    h('h2', { id: 'grant-acts-h' }, '办理'), forms);
}

function form(testid, heading, hint, fields, button, submit) {
  const f = h('form', { class: 'act', 'data-testid': testid, novalidate: true },
    h('h3', {}, heading), hint ? h('p', { class: 'hint' }, hint) : null, fields, h('button', { type: 'submit' }, button));
  f.addEventListener('submit', (e) => { e.preventDefault(); submit(f); });
  return f;
}

const value = (f, name) => f.querySelector(`[name="${name}"]`).value;

function suspendForm(run, today) {
  return form('act-suspend', '暂停共享权限并限期整改',
    '需求部门擅自超出使用范围、共享目的使用，或者擅自提供给第三方的，暂停其共享权限并督促限期整改（第二十七条第二款）。暂停后各种共享方式立即停止提供数据。',
    [
      field('grounds', '暂停依据', { tag: 'select', options: [['', '请选择'], ...options(SUSPEND_GROUNDS)] }),
      field('reasons', '暂停理由（每行一条）', { tag: 'textarea', rows: 3 }),
      field('evidence', '证据材料', { tag: 'textarea', rows: 2, hint: '如调用日志摘录、核查记录、举报材料的编号和内容摘要' }),
      h('fieldset', { class: 'rectify-deadline' }, h('legend', {}, '整改期限（二选一）'),
        field('rectify_days', '自今日起的工作日数', { type: 'number', min: 1, max: 120, inputmode: 'numeric' }),
        field('rectify_by', '或整改截止日期', { type: 'date', min: today || null })),
    ], '暂停', (f) => {
      const days = value(f, 'rectify_days').trim();
      run(f, 'suspend', {
        grounds: value(f, 'grounds'), reasons: lines(value(f, 'reasons')), evidence: value(f, 'evidence'),
        rectify_days: days ? Number(days) : undefined, rectify_by: value(f, 'rectify_by') || undefined,
      }, '已暂停共享权限，需求部门的各种共享方式均已停止。');
    });
}

function rectifyForm(run) {
  return form('act-rectify', '报告整改情况', '请如实说明整改措施和结果并提供证明材料；暂停方核查后决定恢复或终止共享。', [
    field('actions', '整改措施和结果', { tag: 'textarea', rows: 3 }),
    field('evidence', '证明材料', { tag: 'textarea', rows: 2 }),
  ], '提交整改报告', (f) => run(f, 'rectifications', { actions: value(f, 'actions'), evidence: value(f, 'evidence') },
    '整改报告已提交，等待暂停方核查。'));
}

function resumeForm(run) {
  return form('act-resume', '恢复共享权限', '整改到位的，恢复共享权限；只有作出暂停的部门可以恢复。', [
    field('reasons', '恢复理由（每行一条）', { tag: 'textarea', rows: 2 }),
  ], '恢复', (f) => run(f, 'resume', { reasons: lines(value(f, 'reasons')) }, '已恢复共享权限。'));
}

function terminateForm(g, run) {
  return form('act-terminate', '终止共享', g.state === 'suspended'
    ? '拒不整改或者整改不到位的，可以终止共享（第二十七条第二款）。终止后不可恢复，需求部门应当妥善处置已获取的数据。'
    : '终止后不可恢复，需求部门应当妥善处置已获取的数据。', [
    field('reasons', '终止理由（每行一条）', { tag: 'textarea', rows: 2 }),
    field('evidence', '证据材料', { tag: 'textarea', rows: 2 }),
  ], '终止共享', (f) => run(f, 'terminate', { reasons: lines(value(f, 'reasons')), evidence: value(f, 'evidence') },
    '已终止共享，需求部门应在期限内妥善处置数据。'));
}

function requirementForm(g, run) {
  const r = g.disposal_requirement;
  return form('act-require-disposal', r ? '修改处置要求' : '提出处置要求',
    '共享目的已实现、无法实现或者不再必要时，需求部门应当按提供部门的要求妥善处置数据（第二十七条第一款）；未提出要求的，按平台默认方式（删除销毁）处置。', [
      field('method', '处置方式', { tag: 'select', value: r ? r.method : 'delete', options: options(DISPOSAL_METHODS) }),
      field('text', '具体要求（可选）', { tag: 'textarea', rows: 2, value: r ? r.text : '' }),
    ], '保存处置要求', (f) => run(f, 'disposal-requirement', { method: value(f, 'method'), text: value(f, 'text') },
      '处置要求已保存。', 'PUT'));
}

function disposeForm(g, run, today) {
  const method = g.disposal_requirement ? g.disposal_requirement.method : 'delete';
  const early = g.state === 'active';
  return form('act-dispose', '妥善处置共享数据', early
    ? '有效期内处置的，应当说明理由；处置后共享授权即停止提供数据，不可恢复。'
    : '共享授权已到期或终止，应当按提供部门的要求妥善处置已获取的数据并登记。', [
    field('method', '处置方式', { tag: 'select', value: method, options: options(DISPOSAL_METHODS),
      hint: `提供部门要求：${DISPOSAL_METHODS[method]}${g.disposal_requirement ? '' : '（平台默认）'}` }),
    field('actions', '处置情况（做了什么）', { tag: 'textarea', rows: 3 }),
    field('done_on', '处置日期', { type: 'date', value: today || '', max: today || null }),
    field('evidence', '证明材料', { tag: 'textarea', rows: 2, hint: '如销毁记录、退回回执、封存清单的编号' }),
    early ? field('reason', '处置理由', { tag: 'select', options: [['', '请选择'], ...options(DISPOSAL_REASONS)] }) : null,
    early ? field('reason_text', '理由说明', { tag: 'textarea', rows: 2 }) : null,
  ], '登记处置', (f) => {
    const body = { method: value(f, 'method'), actions: value(f, 'actions'), done_on: value(f, 'done_on'), evidence: value(f, 'evidence') };
    if (early) Object.assign(body, { reason: value(f, 'reason') || undefined, reason_text: value(f, 'reason_text') });
    run(f, 'disposal', body, '处置情况已登记，该共享授权已办结。');
  });
}

function consentForm(g, run, departments) {
  const others = (departments || []).filter((d) => d.id !== g.consumer_id && d.id !== g.provider_id);
  return form('act-consent', '同意向第三方提供（第二十五条）', '需求部门确需将数据提供给第三方的，应当经提供部门同意。', [
    others.length
      ? field('third_department_id', '第三方部门', { tag: 'select', options: [['', '请选择'], ...others.map((d) => [d.id, d.name])] })
      : field('third_department_id', '第三方部门编号'),
    field('purpose', '用途', { tag: 'textarea', rows: 2 }),
  ], '记录同意', (f) => run(f, 'consents', { third_department_id: value(f, 'third_department_id'), purpose: value(f, 'purpose') },
    '已记录同意。'));
}
