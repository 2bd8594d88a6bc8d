// The forms of the correction procedure: the provider's answer to a
// request, and the consumer's usage status of a grant's data. Each names its
// controls after the API's JSON fields, so a refused field is shown beside
// its control (lib/problems.js).
import { h } from './dom.js';
import { get, post } from './api.js';
import { formatDateTime } from './format.js';
import { attempt } from './problems.js';
import { USAGE_STATUSES, lines, listField } from './correction.js';
import { inOffice } from './delivery.js';

let seq = 0;
const uid = (n) => `corr-${n}-${++seq}`;

export function area(name, text, hint, value = '') {
  const id = uid(name);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hint ? h('small', { class: 'hint' }, hint) : null,
    h('textarea', { id, name, rows: 3 }, value));
}

export function itemChecks(name, legend, items, checked = []) {
  return h('fieldset', { name, tabindex: '-1', class: 'corr-items' }, h('legend', {}, legend),
    items.map((it) => {
      const id = uid('item');
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, value: it, checked: checked.includes(it) }), h('label', { for: id }, it));
    }));
}

const checkedOf = (fieldset) => [...fieldset.querySelectorAll('input:checked')].map((i) => i.value);

/**
 * answerForm(r, entryItems, send): the provider's single answer. A
 * correction names the rows and items changed and the hosted dataset's
 * change numbers of the fix; not corrected gives reasons.
 */
export function answerForm(r, entryItems, send) {
  const corrected = uid('corrected');
  const not = uid('not');
  const changesId = uid('changes');
  const items = itemChecks('items', '更正或核实的数据项', entryItems, r.items);
  const fix = h('div', { class: 'corr-fix' },
    h('div', { class: 'field' }, h('label', { for: changesId }, '托管数据变更序号'),
      h('small', { class: 'hint' }, '在“数据托管”中更正数据后，载入结果所示的变更序号；多个以逗号分隔。数据未在平台托管的，不填，并在处理说明中写明更正方式。'),
      h('input', { id: changesId, name: 'changes', type: 'text', inputmode: 'numeric' })));
  const reasons = area('reasons', '未更正的理由', '每行一条。');
  reasons.hidden = true;
  const form = h('form', { class: 'act', 'data-testid': 'correction-answer' },
    h('h3', {}, '反馈校核处理结果'),
    h('fieldset', { name: 'outcome', tabindex: '-1' }, h('legend', {}, '处理结果'),
      h('div', { class: 'check' }, h('input', { type: 'radio', id: corrected, name: 'outcome', value: 'corrected', checked: true }), h('label', { for: corrected }, '已更正')),
      h('div', { class: 'check' }, h('input', { type: 'radio', id: not, name: 'outcome', value: 'not_corrected' }), h('label', { for: not }, '经核实未更正'))),
    area('rows', '更正或核实的数据记录', '每行一条，写明主键，例如：统一社会信用代码 91330106MA2A000011。', r.rows.join('\n')),
    items,
    fix,
    reasons,
    area('note', '处理说明'),
    h('p', { class: 'hint' }, '每项校核申请只能反馈一次。'),
    h('button', { type: 'submit' }, '反馈处理结果'));
  const outcome = () => form.querySelector('[name="outcome"]:checked').value;
  for (const radio of form.querySelectorAll('[name="outcome"]')) {
    radio.addEventListener('change', () => {
      fix.hidden = outcome() !== 'corrected';
      reasons.hidden = outcome() === 'corrected';
    });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { outcome: outcome(), rows: lines(form.querySelector('[name="rows"]').value), items: checkedOf(items),
      note: form.querySelector('[name="note"]').value, version: r.version };
    if (body.outcome === 'corrected') {
      body.changes = form.querySelector('[name="changes"]').value.split(/[,，\s]+/).filter(Boolean).map(Number);
    } else {
      body.reasons = lines(form.querySelector('[name="reasons"]').value);
    }
    attempt(form, () => send(body), listField);
  });
  return form;
}

/**
 * usageStatusSection(person, g, navigate): the grant's usage status (使用状态)
 * and its history, with the form for the consumer's office. Readers other
 * than the grant's parties and supervisors get nothing (the API refuses).
 */
export async function usageStatusSection(person, g, navigate) {
  let st;
  try {
    st = await get('/grants/' + encodeURIComponent(g.id) + '/usage-status');
  } catch (err) {
    if (err.status === 403 || err.status === 404) return null;
    throw err;
  }
  const consumer = inOffice(person, g.consumer_id);
  const cur = st.current;
  const out = [
    h('h2', { id: 'corr-status-h' }, '数据校核'),
    h('p', { class: 'lead' }, '需求部门应当记录政务数据使用状态；发现数据不准确或者不完整的，应当及时向提供部门提出校核申请（第二十六条）。'),
    h('p', { 'data-testid': 'usage-status' }, '当前使用状态：',
      cur ? [h('strong', {}, USAGE_STATUSES[cur.status] || cur.status), cur.note ? `（${cur.note}）` : '', `，${formatDateTime(cur.set_at)} 记录`] : '尚未记录'),
  ];
  if (st.history.length > 1) {
    out.push(h('details', {}, h('summary', {}, '使用状态变更记录'),
      h('ol', { class: 'plain' }, st.history.map((s) => h('li', {}, `${formatDateTime(s.set_at)} ${USAGE_STATUSES[s.status] || s.status}`, s.note ? `：${s.note}` : '')))));
  }
  if (consumer) {
    const sel = uid('status');
    const form = h('form', { class: 'act', 'data-testid': 'usage-status-form' },
      h('div', { class: 'field' }, h('label', { for: sel }, '使用状态'),
        h('select', { id: sel, name: 'status' }, Object.entries(USAGE_STATUSES).map(([v, t]) => h('option', { value: v, selected: cur && cur.status === v }, t)))),
      area('note', '说明', '“存疑待核”和“未使用或停止使用”须写明原因。'),
      h('button', { type: 'submit' }, '记录使用状态'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(form, async () => {
        await post('/grants/' + encodeURIComponent(g.id) + '/usage-status', { status: form.querySelector('[name="status"]').value,
          note: form.querySelector('[name="note"]').value, version: cur ? cur.version : 0 });
        await navigate(location.pathname + location.search, { replaceState: true });
      });
    });
    out.push(form);
    if (g.state === 'active' || g.state === 'suspended') {
      out.push(h('p', {}, h('a', { class: 'button', href: '/console/corrections/new?grant=' + encodeURIComponent(g.id), 'data-testid': 'correction-new' }, '提出校核申请')));
    }
  }
  out.push(h('p', {}, h('a', { href: '/console/corrections?grant_id=' + encodeURIComponent(g.id) }, '本授权的校核申请')));
  return h('section', { 'aria-labelledby': 'corr-status-h', 'data-testid': 'corrections-section' }, out);
}
