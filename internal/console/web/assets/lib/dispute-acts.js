// The forms of the acts a person may take on a dispute now
// (docs/disputes.md, "Who may do what"): a party's position, a proposed
// agreement, the other party's confirmation or rejection of it, the
// application for coordination; the coordinating
// authority's note, its coordination with its outcome, and the people's
// government's decision. Controls are named after the API's JSON fields so
// that a problem appears beside the field it names.
import { h } from './dom.js';
let seq = 0;
const uid = (name) => `dispute-${name}-${++seq}`;

function area(name, text, hint = '') {
  const id = uid(name);
  const hintId = hint ? id + '-hint' : null;
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    hint ? h('small', { class: 'hint', id: hintId }, hint) : null,
    h('textarea', { id, name, rows: 3, 'aria-describedby': hintId }));
}

function input(name, text, attrs = {}) {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text), h('input', { id, name, ...attrs }));
}

const value = (form, name) => form.querySelector(`[name="${name}"]`).value;

/**
 * disputeForms(d, acts, run, today) → the section of forms for acts
 * (disputeActsFor()); run(form, act, body) posts the command with the
 * version and reloads; today is the platform's date (YYYY-MM-DD).
 */
export function disputeForms(d, acts, run, today) {
  const forms = [];
  const textForm = (act, heading, label, hint, button, testid) => {
    const form = h('form', { class: 'act', 'data-testid': testid },
      h('h3', {}, heading), area('text', label, hint), h('button', { type: 'submit' }, button));
    form.addEventListener('submit', (e) => { e.preventDefault(); run(form, act, { text: value(form, 'text') }); });
    return form;
  };
  if (acts.position) {
    const mine = acts.coordinate || acts.decide || d.state === 'referred';
    forms.push(textForm('positions', mine ? '记录协调情况' : '陈述本方意见', mine ? '协调情况或意见' : '本方意见',
      '', '提交', 'act-position'));
  }
  if (acts.answer) {
    const confirm = h('form', { class: 'act', 'data-testid': 'act-confirm' },
      h('h3', {}, '确认对方提出的协议'),
      h('blockquote', {}, d.proposal.text),
      h('p', { class: 'hint' }, '确认后双方协商一致，争议即告解决。'),
      h('button', { type: 'submit' }, '确认协议'));
    confirm.addEventListener('submit', (e) => { e.preventDefault(); run(confirm, 'agreement-confirmation', {}); });
    forms.push(confirm, textForm('agreement-rejection', '不同意对方提出的协议', '不同意的理由',
      '不同意的，协议作废，双方继续协商。', '不同意', 'act-reject'));
  }
  if (acts.propose) {
    const mine = Boolean(d.proposal);
    forms.push(textForm('agreement-proposal', mine ? '修改本方提出的协议' : '提出协议', '协议内容',
      '由对方确认后双方协商一致，争议即告解决；对方不同意的，继续协商。', mine ? '修改协议' : '提出协议', 'act-propose'));
  }
  if (acts.notYet) {
    forms.push(h('p', { class: 'hint', 'data-testid': 'coordination-not-yet' },
      `双方均陈述意见后，或协商期限届满仍未协商的，方可向${d.authority.department_name}申请协调处理（第二十八条：应当协商解决；协商不成的，申请协调处理）。`));
  }
  if (acts.requestCoordination) {
    forms.push(textForm('coordination-request', '协商不成，申请协调处理', '协商情况及未能达成一致的原因',
      `协商不成的，向${d.authority.department_name}申请协调处理（第二十八条）。`, '申请协调处理', 'act-request-coordination'));
  }
  if (acts.coordinate) forms.push(coordinateForm(d, run));
  if (acts.decide) forms.push(decideForm(d, run, today));
  if (forms.length === 0) return null;
  return h('section', { class: 'acts', 'aria-labelledby': 'dispute-acts-heading' },
    h('h2', { id: 'dispute-acts-heading' }, '办理'), forms);
}

function coordinateForm(d, run) {
  const agreedId = uid('agreed');
  const failedId = uid('failed');
  const agreement = area('agreement', '双方达成一致的内容');
  const referral = area('referral', '报请本级人民政府决定的情况', `报${d.authority.government}决定。`);
  referral.hidden = true;
  const form = h('form', { class: 'act', 'data-testid': 'act-coordinate' },
    h('h3', {}, '协调处理结果'),
    area('opinion', '协调意见'),
    h('fieldset', { name: 'outcome', tabindex: '-1' },
      h('legend', {}, '协调结果'),
      h('div', { class: 'check' }, h('input', { type: 'radio', id: agreedId, name: 'outcome', value: 'agreed', checked: true }),
        h('label', { for: agreedId }, '经协调达成一致')),
      h('div', { class: 'check' }, h('input', { type: 'radio', id: failedId, name: 'outcome', value: 'failed' }),
        h('label', { for: failedId }, `仍未达成一致，报${d.authority.government}决定`))),
    agreement, referral,
    h('button', { type: 'submit' }, '提交协调结果'));
  const outcome = () => form.querySelector('[name="outcome"]:checked').value;
  form.addEventListener('change', () => {
    agreement.hidden = outcome() !== 'agreed';
    referral.hidden = outcome() !== 'failed';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { outcome: outcome(), opinion: value(form, 'opinion') };
    if (body.outcome === 'agreed') body.agreement = value(form, 'agreement');
    else body.referral = value(form, 'referral');
    run(form, 'coordination', body);
  });
  return form;
}

function decideForm(d, run, today) {
  const form = h('form', { class: 'act', 'data-testid': 'act-decide' },
    h('h3', {}, `登记${d.authority.government}的决定`),
    area('text', '决定内容'),
    input('document_number', '决定文号', { placeholder: '例如：浙政办函〔2026〕15号' }),
    input('decided_on', '决定日期', { type: 'date', max: today, value: today }),
    h('button', { type: 'submit' }, '登记决定'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(form, 'decision', { text: value(form, 'text'), document_number: value(form, 'document_number'), decided_on: value(form, 'decided_on') });
  });
  return form;
}
